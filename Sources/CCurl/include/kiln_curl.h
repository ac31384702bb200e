// libcurl, loaded when kiln first speaks HTTP (dlopen of libcurl.so.4) rather than linked: linking it maps about
// thirty shared objects (GnuTLS, Kerberos, LDAP, ...) and runs their constructors at every start, ~6 ms of each
// `kiln validate` or `kiln render`, which never touch a network. Swift calls these functions; each goes through the
// table kiln_curl_load filled.
#ifndef KILN_CURL_H
#define KILN_CURL_H

#include <curl/curl.h>
#include <stddef.h>

// Loads libcurl once (thread-safe); 0 when it is there, else -1 with why in kiln_curl_load_error().
int kiln_curl_load(void);
const char *kiln_curl_load_error(void);
// The file libcurl was loaded from ("" when it was not): what an image of kiln must carry beside the binary.
const char *kiln_curl_library_path(void);

CURL *kiln_curl_easy_init(void);
void kiln_curl_easy_cleanup(CURL *handle);
CURLcode kiln_curl_easy_pause(CURL *handle, int bitmask);
const char *kiln_curl_easy_strerror(CURLcode code);
CURLcode kiln_curl_global_init(long flags);
CURLM *kiln_curl_multi_init(void);
CURLMcode kiln_curl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode kiln_curl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode kiln_curl_multi_cleanup(CURLM *multi);
CURLMcode kiln_curl_multi_perform(CURLM *multi, int *running);
CURLMsg *kiln_curl_multi_info_read(CURLM *multi, int *left);
CURLMcode kiln_curl_multi_poll(CURLM *multi, struct curl_waitfd *fds, unsigned int count, int timeout, int *ready);
CURLMcode kiln_curl_multi_wakeup(CURLM *multi);
struct curl_slist *kiln_curl_slist_append(struct curl_slist *list, const char *text);
void kiln_curl_slist_free_all(struct curl_slist *list);

// curl_easy_setopt and curl_easy_getinfo are variadic: Swift calls these typed wrappers instead.
CURLcode kiln_setopt_long(CURL *h, CURLoption o, long v);
CURLcode kiln_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode kiln_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode kiln_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode kiln_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode kiln_setopt_blob(CURL *h, CURLoption o, void *data, size_t len);
typedef size_t (*kiln_write_callback)(char *, size_t, size_t, void *);
CURLcode kiln_setopt_write(CURL *h, CURLoption o, kiln_write_callback cb);
CURLcode kiln_getinfo_long(CURL *h, CURLINFO i, long *v);

// The multi interface: curl_multi_setopt is variadic too, and CURLMsg's result sits in an anonymous union.
CURLMcode kiln_multi_setopt_long(CURLM *m, CURLMoption o, long v);
static inline CURLcode kiln_message_result(CURLMsg *message) { return message->data.result; }
// CURL_WRITEFUNC_PAUSE and CURL_READFUNC_ABORT are macros of casts Swift does not import.
static inline size_t kiln_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline size_t kiln_readfunc_abort(void) { return CURL_READFUNC_ABORT; }

#endif
