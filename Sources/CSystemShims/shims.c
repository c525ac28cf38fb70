#define _GNU_SOURCE
#include "CSystemShims.h"
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/syscall.h>

const uint32_t junction_epollin = EPOLLIN;
const uint32_t junction_epollout = EPOLLOUT;
const uint32_t junction_epollerr = EPOLLERR;
const uint32_t junction_epollhup = EPOLLHUP;
const uint32_t junction_epollrdhup = EPOLLRDHUP;
const uint32_t junction_epollet = EPOLLET;

int junction_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int junction_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t token) {
  struct epoll_event event;
  event.events = events;
  event.data.u64 = token;
  int native = op == JUNCTION_EPOLL_CTL_ADD ? EPOLL_CTL_ADD : op == JUNCTION_EPOLL_CTL_DEL ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
  return epoll_ctl(epfd, native, fd, &event);
}

int junction_epoll_wait(int epfd, junction_epoll_event *events, int max, int timeout) {
  struct epoll_event native[256];
  if (max > 256) max = 256;
  int count = epoll_wait(epfd, native, max, timeout);
  for (int index = 0; index < count; index++) {
    events[index].events = native[index].events;
    events[index].token = native[index].data.u64;
  }
  return count;
}

int junction_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int junction_accept4(int fd, void *address, uint32_t *length) {
  socklen_t size = *length;
  int result = accept4(fd, (struct sockaddr *)address, &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
  *length = size;
  return result;
}

int junction_cpu_count(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
  return CPU_COUNT(&set);
}

int junction_pin_thread(int index) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return -1;
  int count = CPU_COUNT(&allowed);
  if (count <= 0 || index < 0) {
    errno = EINVAL;
    return -1;
  }
  int target = index % count;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    if (target-- > 0) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof(one), &one) == 0 ? cpu : -1;
  }
  errno = EINVAL;
  return -1;
}

static cpu_set_t junction_saved_free_mask;
static int junction_saved_free_count = 0;

int junction_save_free_mask(void) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof(mask), &mask) != 0) return -1;
  int count = CPU_COUNT(&mask);
  // A thread that is itself pinned has nothing better to give back.
  if (count <= 1) return 0;
  junction_saved_free_mask = mask;
  __atomic_store_n(&junction_saved_free_count, count, __ATOMIC_RELEASE);
  return 0;
}

int junction_free_thread(int tid) {
  int saved = __atomic_load_n(&junction_saved_free_count, __ATOMIC_ACQUIRE);
  if (saved <= 1) return 0;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(tid, sizeof(mask), &mask) != 0) return -1;
  if (CPU_COUNT(&mask) != 1) return 0;
  return sched_setaffinity(tid, sizeof(junction_saved_free_mask), &junction_saved_free_mask) == 0
             ? 1
             : -1;
}

int junction_gettid(void) { return (int)syscall(SYS_gettid); }

int junction_malloc_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
