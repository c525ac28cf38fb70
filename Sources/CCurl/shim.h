#ifndef JUNCTION_CCURL_SHIM_H
#define JUNCTION_CCURL_SHIM_H
#include <curl/curl.h>

// Swift cannot call C variadic functions, so curl_easy_setopt, curl_easy_getinfo and
// curl_multi_setopt are wrapped here once per argument type.

/// The callback types JunctionCurl installs (write, header, read, progress).
typedef size_t (*jc_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*jc_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                    curl_off_t ultotal, curl_off_t ulnow);

/// Macros Swift cannot import (casts in their definitions).
static const long jc_auth_basic = (long)CURLAUTH_BASIC;

static inline CURLcode jc_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_data_callback(CURL *handle, CURLoption option,
                                               jc_data_callback value) {
  return curl_easy_setopt(handle, option, value);
}
static inline CURLcode jc_setopt_progress_callback(CURL *handle, jc_progress_callback value) {
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}
/// Allows an SMTP transfer to go on when some RCPT TO fail. Spelled with three L's before
/// curl 8.2 (Debian bookworm ships 7.88.1), with two since.
static inline CURLcode jc_setopt_mail_rcpt_allow_fails(CURL *handle, long value) {
#if LIBCURL_VERSION_NUM >= 0x080200
  return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLOWFAILS, value);
#else
  return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLLOWFAILS, value);
#endif
}

static inline CURLcode jc_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode jc_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
  return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode jc_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode jc_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl_multi_setopt(multi, option, value);
}

/// The easy handle and result of a finished transfer in a CURLMsg (a C union Swift cannot read
/// directly). Returns 0 when the message is not CURLMSG_DONE.
static inline int jc_multi_message_done(CURLMsg *message, CURL **handle, CURLcode *result) {
  if (message->msg != CURLMSG_DONE) return 0;
  *handle = message->easy_handle;
  *result = message->data.result;
  return 1;
}
#endif
