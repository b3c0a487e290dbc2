# Where this edge finds the app servers and who may purge it: the one-machine default, for
# varnishd started by hand with -p vcl_path=<this folder>. Elsewhere write your own
# site.vcl, with the same two names, into a folder that comes first in vcl_path
# (deploy/varnish/varnishd writes one from VARNISH_BACKEND and VARNISH_PURGERS).

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    # The app's readiness (database, cache, broker): while it fails, this backend is sick
    # and fetches go nowhere, rather than to an app server that can only answer 503.
    .probe = {
        .url = "/healthz/ready";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        .initial = 3;
    }
}

# The app servers, which send the purges (newsroom.edge): nobody else may.
acl purgers {
    "127.0.0.1";
    "::1";
}
