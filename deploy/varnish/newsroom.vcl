vcl 4.1;

# The edge in front of the app servers (README "The edge (Varnish)"), for Debian's varnish
# 7.1 with vmod xkey from varnish-modules.
#
# What it keeps is decided by the app, not by a list of addresses here: a response is
# shared only when it names its dependencies in Surrogate-Key (every reader page does, see
# newsroom/cached_pages.py) or says Cache-Control: public (static files), and sets no
# cookie, says nothing private and does not vary on the cookie. Its lifetime is the app's
# s-maxage; a change purges exactly the pages built from what it touched, by their keys
# (newsroom/edge.py sends PURGE with a Surrogate-Key header, through the outbox).
#
# Where the app servers are and who may purge come from site.vcl, looked up in vcl_path:
# the default beside this file is 127.0.0.1:8000 and 127.0.0.1 (deploy/varnish/varnishd
# writes another from VARNISH_BACKEND and VARNISH_PURGERS).

import xkey;

include "site.vcl";

sub vcl_recv {
    # Filled only below, from the request's own Cookie: a header of that name a client
    # sent is not theirs to hand the app as a cookie.
    unset req.http.X-Newsroom-Cookie;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.Surrogate-Key) {
            return (synth(400, "Name the keys to purge in Surrogate-Key"));
        }
        # A hard purge: the object goes with its grace, so the next request fetches the
        # page as it is now instead of being handed the old one while it revalidates.
        set req.http.X-Purged = xkey.purge(req.http.Surrogate-Key);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    call vcl_req_host;
    # POST and every other method but GET and HEAD go to the app as they are.
    call vcl_req_method;
    call vcl_req_authorization;
    # Staff pages, log-in and sign-up, each reader's own parts, the health checks and the
    # partner API (each key holder's own answers) are never shared; the desk's marker
    # cookie asks for pages built for staff (it proves nothing: the desk checks the
    # session as always).
    if (req.url ~ "^/(en/)?(desk|accounts)(/|\?|$)" || req.url ~ "^/(admin|healthz|api)(/|\?|$)") {
        return (pass);
    }
    if (req.http.X-API-Key) {
        return (pass);
    }
    # A newsletter's open-tracking image marks its delivery at each fetch; the mail
    # providers' reports are POSTs (passed above) with a secret.
    if (req.url ~ "^/newsletters/(opened|provider)/") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)newsroom_desk=") {
        return (pass);
    }
    # Everyone else, signed-in readers included, is looked up without cookies: a reader
    # page is the same for everyone (the page cache builds it with the cookies hidden from
    # the view) and the reader's own parts come from /accounts/personal/, passed above.
    # On a miss the cookies go to the app after all (vcl_backend_fetch), so a page that is
    # personal after all (a reader's comments page) is built for them, then not kept.
    if (req.http.Cookie) {
        set req.http.X-Newsroom-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    # The app's page keys leave out the parameters its pages do not read; these are the
    # ones shared links carry, so /article?utm_source=... is the same object here too.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    return (hash);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Newsroom-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Newsroom-Cookie;
        unset bereq.http.X-Newsroom-Cookie;
    }
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Kept only when the app says the response is for anyone. Anything else is fetched
    # for each request (hit-for-miss, as Varnish's own default does for a cookie).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-cache|no-store)"
        || beresp.http.Vary ~ "(?i)(cookie|\*)"
        || !(beresp.http.Surrogate-Key || beresp.http.Cache-Control ~ "(?i)\bpublic\b")
        || beresp.ttl <= 0s) {
        call vcl_beresp_hitmiss;
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are the edge's business: no reader needs to know what a page is built from.
    unset resp.http.Surrogate-Key;
    unset resp.http.xkey;
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
