#define _GNU_SOURCE
#include "kiln_curl.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>

// Every libcurl function kiln calls, resolved once from libcurl.so.4.
static struct {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_pause)(CURL *, int);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*global_init)(long);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = -1;
static char failure[512] = "libcurl was not loaded";
static char path[1024] = "";

#define RESOLVE(field, symbol)                                                                     \
    do {                                                                                           \
        *(void **)(&api.field) = dlsym(library, symbol);                                           \
        if (!api.field) {                                                                          \
            snprintf(failure, sizeof failure, "libcurl.so.4 has no %s: is libcurl older than 7.68?", symbol); \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libcurl (install Debian's libcurl4): %s", dlerror());
        return;
    }
    struct link_map *map = NULL;
    if (dlinfo(library, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) {
        strncpy(path, map->l_name, sizeof path - 1);
    }
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(easy_pause, "curl_easy_pause");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_setopt, "curl_multi_setopt");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(failure, sizeof failure, "libcurl did not initialise (curl_global_init)");
        return;
    }
    loaded = 0;
}

int kiln_curl_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *kiln_curl_load_error(void) { return failure; }

const char *kiln_curl_library_path(void) { return kiln_curl_load() == 0 ? path : ""; }

// Callers load first (HTTPClient does, before any transfer); without libcurl these report failure, never crash.
CURL *kiln_curl_easy_init(void) { return kiln_curl_load() == 0 ? api.easy_init() : NULL; }
void kiln_curl_easy_cleanup(CURL *handle) { if (handle) api.easy_cleanup(handle); }
CURLcode kiln_curl_easy_pause(CURL *handle, int bitmask) { return api.easy_pause(handle, bitmask); }
const char *kiln_curl_easy_strerror(CURLcode code) { return loaded == 0 ? api.easy_strerror(code) : failure; }
CURLcode kiln_curl_global_init(long flags) { (void)flags; return kiln_curl_load() == 0 ? CURLE_OK : CURLE_FAILED_INIT; }
CURLM *kiln_curl_multi_init(void) { return kiln_curl_load() == 0 ? api.multi_init() : NULL; }
CURLMcode kiln_curl_multi_add_handle(CURLM *multi, CURL *handle) { return api.multi_add_handle(multi, handle); }
CURLMcode kiln_curl_multi_remove_handle(CURLM *multi, CURL *handle) { return api.multi_remove_handle(multi, handle); }
CURLMcode kiln_curl_multi_cleanup(CURLM *multi) { return multi ? api.multi_cleanup(multi) : CURLM_OK; }
CURLMcode kiln_curl_multi_perform(CURLM *multi, int *running) { return api.multi_perform(multi, running); }
CURLMsg *kiln_curl_multi_info_read(CURLM *multi, int *left) { return api.multi_info_read(multi, left); }
CURLMcode kiln_curl_multi_poll(CURLM *multi, struct curl_waitfd *fds, unsigned int count, int timeout, int *ready) {
    return api.multi_poll(multi, fds, count, timeout, ready);
}
CURLMcode kiln_curl_multi_wakeup(CURLM *multi) { return multi ? api.multi_wakeup(multi) : CURLM_OK; }
struct curl_slist *kiln_curl_slist_append(struct curl_slist *list, const char *text) {
    return kiln_curl_load() == 0 ? api.slist_append(list, text) : NULL;
}
void kiln_curl_slist_free_all(struct curl_slist *list) { if (list) api.slist_free_all(list); }

CURLcode kiln_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode kiln_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return api.easy_setopt(h, o, v); }
CURLcode kiln_setopt_string(CURL *h, CURLoption o, const char *v) { return api.easy_setopt(h, o, v); }
CURLcode kiln_setopt_pointer(CURL *h, CURLoption o, void *v) { return api.easy_setopt(h, o, v); }
CURLcode kiln_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return api.easy_setopt(h, o, v); }
CURLcode kiln_setopt_blob(CURL *h, CURLoption o, void *data, size_t len) {
    struct curl_blob blob = {data, len, CURL_BLOB_COPY};
    return api.easy_setopt(h, o, &blob);
}
CURLcode kiln_setopt_write(CURL *h, CURLoption o, kiln_write_callback cb) { return api.easy_setopt(h, o, cb); }
CURLcode kiln_getinfo_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLMcode kiln_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return m ? api.multi_setopt(m, o, v) : CURLM_BAD_HANDLE; }
