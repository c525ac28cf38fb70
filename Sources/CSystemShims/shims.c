#define _GNU_SOURCE
#include "CSystemShims.h"
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

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

int junction_malloc_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
