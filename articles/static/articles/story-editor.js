// The story body's rich-text editor: django-prose-editor (Tiptap), offering exactly what
// articles.sanitize keeps, plus the story's photos as blocks. A photo in the body is a
// placeholder naming a row of the page's photo list (<figure data-photo-use="12">); the
// editor draws it with that row's picture and caption, and the server draws it for readers.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading,
  History, Italic, Link, ListItem, Menu, Node, OrderedList, Paragraph, Text,
} from "django-prose-editor/editor";

const form = document.getElementById("story-form");
const textarea = form && form.querySelector("textarea[data-story-body]");

function rowFor(key) {
  return form.querySelector(`[data-photo-row][data-key="${CSS.escape(key)}"]`);
}

function drawPhoto(figure, key) {
  figure.replaceChildren();
  const row = rowFor(key);
  if (!row) {
    figure.classList.add("missing");
    return;
  }
  figure.classList.remove("missing");
  const thumb = row.closest("[data-photo-group]").querySelector("[data-photo-thumb]");
  const picture = thumb.querySelector("picture, img, .photo-pending");
  if (picture) figure.append(picture.cloneNode(true));
  const caption = document.createElement("figcaption");
  const text = row.querySelector("[data-photo-caption]").value.trim();
  const credit = row.querySelector("[data-photo-credit]").value.trim();
  caption.textContent = (text ? "▲ " + text : "") + (credit ? ` [${credit}]` : "");
  figure.append(caption);
}

const StoryPhoto = Node.create({
  name: "storyPhoto",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { use: { default: null, parseHTML: (el) => el.getAttribute("data-photo-use") } };
  },
  parseHTML() {
    return [{ tag: "figure[data-photo-use]" }];
  },
  renderHTML({ node }) {
    return ["figure", { "data-photo-use": node.attrs.use }];
  },
  addNodeView() {
    return ({ node }) => {
      const figure = document.createElement("figure");
      figure.className = "editor-photo";
      figure.contentEditable = "false";
      figure.dataset.editorPhoto = node.attrs.use;
      drawPhoto(figure, node.attrs.use);
      return {
        dom: figure,
        update(updated) {
          if (updated.type.name !== "storyPhoto") return false;
          figure.dataset.editorPhoto = updated.attrs.use;
          drawPhoto(figure, updated.attrs.use);
          return true;
        },
      };
    };
  },
});

function createEditor() {
  // As django-prose-editor's createTextareaEditor, but without Tiptap's injected <style>
  // element, which the desk's Content-Security-Policy refuses (editor.css carries it).
  const holder = document.createElement("div");
  holder.className = "prose-editor";
  textarea.before(holder);
  holder.append(textarea);
  return new Editor({
    element: holder,
    injectCSS: false,
    extensions: [
      Document, Paragraph, Text, HardBreak, History, Dropcursor, Gapcursor, Menu,
      Heading.configure({ levels: [2, 3] }), Bold, Italic, Blockquote,
      BulletList, OrderedList, ListItem,
      Link.configure({ enableTarget: false, protocols: ["http", "https", "mailto"] }),
      StoryPhoto,
    ],
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

// The toolbar's own labels (titles, and the words of its menus), never the story's text.
function translateToolbar(root) {
  const say = window.gettext || ((text) => text);
  for (const element of root.querySelectorAll("[title], [aria-label]")) {
    if (element.closest(".ProseMirror")) continue;
    for (const name of ["title", "aria-label"]) {
      const text = element.getAttribute(name);
      if (text && say(text) !== text) element.setAttribute(name, say(text));
    }
  }
  // Icon buttons show their icon's name as text (a font ligature): leave those alone.
  for (const element of root.querySelectorAll(".prose-menubar *:not(.material-icons)")) {
    if (element.children.length === 0 && element.textContent.trim()) {
      const text = element.textContent.trim();
      if (say(text) !== text) element.textContent = say(text);
    }
  }
}

if (textarea) {
  const editor = createEditor();
  const holder = textarea.closest(".prose-editor");
  translateToolbar(holder);
  new MutationObserver(() => translateToolbar(holder)).observe(holder, {
    childList: true,
    subtree: true,
  });
  form.classList.add("rich-editor-ready");
  form.addEventListener("story-photo-insert", (event) => {
    editor.chain().focus().insertContent({ type: "storyPhoto", attrs: { use: event.detail.key } }).run();
  });
  form.addEventListener("story-photo-remove", (event) => {
    const { state } = editor;
    const gone = [];
    state.doc.descendants((node, position) => {
      if (node.type.name === "storyPhoto" && node.attrs.use === event.detail.key) gone.push(position);
    });
    let transaction = state.tr;
    for (const position of gone.reverse()) transaction = transaction.delete(position, position + 1);
    if (gone.length) editor.view.dispatch(transaction);
  });
  form.addEventListener("story-photo-changed", (event) => {
    form.querySelectorAll(`[data-editor-photo="${CSS.escape(event.detail.key)}"]`).forEach((figure) => {
      drawPhoto(figure, event.detail.key);
    });
  });
  window.storyEditor = editor; // for the browser tests and the console
}
