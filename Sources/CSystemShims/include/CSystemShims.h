// Linux calls Swift's Glibc module does not expose (GNU extensions: epoll, eventfd, accept4,
// sched_getaffinity; malloc.h's mallopt), wrapped with plain C types so this header includes
// no system header that could clash with Glibc's. For JunctionSystem only.
#ifndef JUNCTION_C_SYSTEM_SHIMS_H
#define JUNCTION_C_SYSTEM_SHIMS_H

#include <stdint.h>

typedef struct {
  uint32_t events;
  uint64_t token;
} junction_epoll_event;

#define JUNCTION_EPOLL_CTL_ADD 1
#define JUNCTION_EPOLL_CTL_DEL 2
#define JUNCTION_EPOLL_CTL_MOD 3

extern const uint32_t junction_epollin;
extern const uint32_t junction_epollout;
extern const uint32_t junction_epollerr;
extern const uint32_t junction_epollhup;
extern const uint32_t junction_epollrdhup;
extern const uint32_t junction_epollet;

/// epoll_create1(EPOLL_CLOEXEC)
int junction_epoll_create(void);
/// epoll_ctl with the event packed from plain values.
int junction_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token);
/// epoll_wait into an array of plain events.
int junction_epoll_wait(int epfd, junction_epoll_event *events, int max, int timeout);
/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)
int junction_eventfd(void);
/// accept4(..., SOCK_NONBLOCK | SOCK_CLOEXEC); address is a struct sockaddr_in.
int junction_accept4(int fd, void *address, uint32_t *length);
/// CPUs in this process's affinity mask, -1 on error.
int junction_cpu_count(void);
/// Pins the calling thread to the index-th (modulo their count) of the CPUs in its own
/// affinity mask (inherited from the thread that created it). Returns that CPU's number, or -1
/// with errno set.
int junction_pin_thread(int index);
/// Saves the calling thread's affinity mask as the one `junction_free_thread` gives back
/// (call from a thread that is not pinned, before pinning any). 0, or -1 with errno set.
int junction_save_free_mask(void);
/// When thread `tid`'s affinity mask holds exactly one CPU and the saved mask more, gives it
/// the saved mask: 1 when it did, 0 when there was nothing to do, -1 with errno set.
int junction_free_thread(int tid);
/// The calling thread's kernel thread id.
int junction_gettid(void);
/// mallopt(M_TOP_PAD, bytes): 1 on success, 0 on failure.
int junction_malloc_top_pad(int bytes);

#endif
