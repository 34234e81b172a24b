# Varnish in front of the help center (Varnish 7 with Debian's varnish-modules).
#
#   apt-get install varnish varnish-modules
#   varnishd -a :80 -f /etc/varnish/default.vcl -s malloc,1G
#
# The app names what each public response shows in an `xkey` header
# (guides/cache/surrogate.py) and purges those keys after every write
# (guides/frontcache/, HELPCENTER_FRONTEND_CACHES), so pages are cached for
# the app's max-age and replaced within a second of a publish. See
# deploy/README.md and docs/OPERATIONS.md.
vcl 4.1;

import std;
import xkey;

# The app server (granian or gunicorn on 127.0.0.1:8000). The tests serve
# this file with the port replaced by their live server's.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the app servers. Add their addresses here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Purges from the app: `PURGE /` with `xkey: t12-a345 t12-list`
    # (or `xkey-softpurge: ...` to keep stale copies for grace).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            set req.http.n-gone = xkey.purge(req.http.xkey);
        } elsif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "An xkey header is required"));
        }
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # The same keys as a ban (METHOD = "BAN" in the Varnish backend's options).
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey !~ "^[a-z0-9 -]+$") {
            return (synth(400, "An xkey header of surrogate keys is required"));
        }
        ban("obj.http.xkey ~ (^| )(" + regsuball(std.tolower(req.http.xkey), " +", "|") + ")( |$)");
        return (synth(200, "Banned"));
    }

    # Host names separate tenants: the Host header goes to the app as sent,
    # and the cache key is the Host plus the URL (Varnish's own vcl_hash).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin (the previews of drafts live under it) and every call that
    # carries credentials (the editor API's tokens).
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization) {
        return (pass);
    }
    # A signed-in editor (Django's session cookie) sees private pages.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    # Public pages are the same for every reader: no cookie reaches the app.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Honour the app: keep only what it marks public with a max-age, and
    # nothing that sets a cookie. Everything else is fetched every time.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "public"
        || beresp.http.Cache-Control ~ "(private|no-cache|no-store)"
        || beresp.http.Cache-Control !~ "(s-)?max-age=[1-9]") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Varnish sets the TTL from max-age (or s-maxage); stale-while-revalidate
    # becomes the grace during which a stale copy is served while it refetches.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1s"),
            10s);
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this cache only (and for purgers debugging it).
    if (!(client.ip ~ purgers && req.http.X-Cache-Debug)) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
        unset resp.http.Cache-Tag;
    }
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
