#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic: Swift calls these typed wrappers instead.
static inline CURLcode kiln_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode kiln_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode kiln_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode kiln_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode kiln_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode kiln_setopt_blob(CURL *h, CURLoption o, void *data, size_t len) {
    struct curl_blob blob = { data, len, CURL_BLOB_COPY };
    return curl_easy_setopt(h, o, &blob);
}
typedef size_t (*kiln_write_callback)(char *, size_t, size_t, void *);
static inline CURLcode kiln_setopt_write(CURL *h, CURLoption o, kiln_write_callback cb) { return curl_easy_setopt(h, o, cb); }
static inline CURLcode kiln_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }

// The multi interface: curl_multi_setopt is variadic too, and CURLMsg's result sits in an anonymous union.
static inline CURLMcode kiln_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLcode kiln_message_result(CURLMsg *message) { return message->data.result; }
// CURL_WRITEFUNC_PAUSE and CURL_READFUNC_ABORT are macros of casts Swift does not import.
static inline size_t kiln_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline size_t kiln_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
