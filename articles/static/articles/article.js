// The article page's buttons: text size (remembered on this device), copy link, print,
// KakaoTalk, and a read count for 많이 본 기사. Without this script the page reads the
// same; the buttons that need it stay hidden.
(function () {
  "use strict";
  var story = document.querySelector("[data-story]");
  if (!story) return;
  var SIZES = [15, 17, 19, 21, 24];
  var KEY = "newsroom.textSize";
  var body = story.querySelector("[data-story-body]");

  function reveal(element) { if (element) element.hidden = false; }

  function storedStep() {
    try {
      var value = parseInt(window.localStorage.getItem(KEY), 10);
      return isNaN(value) ? 1 : Math.max(0, Math.min(SIZES.length - 1, value));
    } catch (error) { return 1; }
  }
  function applyStep(step) {
    body.style.fontSize = SIZES[step] + "px";
    try { window.localStorage.setItem(KEY, String(step)); } catch (error) { /* private mode */ }
  }
  var sizeButtons = story.querySelector("[data-text-size]");
  if (body && sizeButtons) {
    var step = storedStep();
    if (step !== 1) body.style.fontSize = SIZES[step] + "px";
    reveal(sizeButtons);
    sizeButtons.addEventListener("click", function (event) {
      var button = event.target.closest("[data-size-step]");
      if (!button) return;
      step = Math.max(0, Math.min(SIZES.length - 1, step + parseInt(button.dataset.sizeStep, 10)));
      applyStep(step);
    });
  }

  var feedback = story.querySelector("[data-share-feedback]");
  function say(text, failed) {
    if (!feedback) return;
    feedback.textContent = text;
    feedback.classList.toggle("is-failed", Boolean(failed));
    window.setTimeout(function () { feedback.textContent = ""; }, 4000);
  }
  var canonical = document.querySelector('link[rel="canonical"]');
  var address = canonical ? canonical.href : window.location.href;

  // The button's data-copied or data-failed says how it went.
  function copyAddress(button) {
    navigator.clipboard.writeText(address).then(
      function () { say(button.dataset.copied); },
      function () { say(button.dataset.failed, true); }
    );
  }

  var copy = story.querySelector("[data-copy-link]");
  if (copy && navigator.clipboard) {
    reveal(copy);
    copy.addEventListener("click", function () { copyAddress(copy); });
  }

  var print = story.querySelector("[data-print]");
  if (print) {
    reveal(print);
    print.addEventListener("click", function () { window.print(); });
  }

  // KakaoTalk: Kakao's own dialog where the site has a Kakao key and Kakao's script loaded;
  // otherwise the phone's share sheet (KakaoTalk is among its apps), or else the link
  // copied with word to paste it into KakaoTalk. One button either way.
  var kakao = story.querySelector("[data-kakao-share]");
  function kakaoWithout() {
    if (navigator.share) {
      reveal(kakao);
      kakao.addEventListener("click", function () {
        navigator.share({ title: document.title, url: address }).catch(function () { /* cancelled */ });
      });
    } else if (navigator.clipboard) {
      reveal(kakao);
      kakao.addEventListener("click", function () { copyAddress(kakao); });
    }
  }
  function kakaoWith(key) {
    if (!window.Kakao.isInitialized()) window.Kakao.init(key);
    reveal(kakao);
    kakao.addEventListener("click", function () {
      window.Kakao.Share.sendDefault({
        objectType: "feed",
        content: {
          title: story.dataset.shareTitle,
          description: story.dataset.shareDescription,
          imageUrl: story.dataset.shareImage,
          link: { mobileWebUrl: story.dataset.shareUrl, webUrl: story.dataset.shareUrl },
        },
      });
    });
  }
  if (kakao && story.dataset.kakaoKey) {
    // Kakao's script is deferred too: it has run, or failed (a blocker), by "load".
    window.addEventListener("load", function () {
      if (window.Kakao) kakaoWith(story.dataset.kakaoKey);
      else kakaoWithout();
    });
  } else if (kakao) {
    kakaoWithout();
  }

  // One read per page view, sent without holding the page up.
  if (navigator.sendBeacon && story.dataset.readUrl) {
    navigator.sendBeacon(story.dataset.readUrl);
  }
})();
