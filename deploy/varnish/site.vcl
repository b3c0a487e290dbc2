# Where this edge finds the app servers and who may purge it. This is the one-machine
# default (`make serve`, the tests): write your own site.vcl, with the same two names, into
# a folder that comes first in varnishd's vcl_path (deploy/varnish/varnishd does that with
# VARNISH_BACKEND and VARNISH_PURGERS).

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# The app servers, which send the purges (newsroom.edge): nobody else may.
acl purgers {
    "127.0.0.1";
    "::1";
}
