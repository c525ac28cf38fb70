import JunctionChannels
import JunctionDelivery
import JunctionModel
import Testing

@Suite struct SendPolicyTests {
  let chat = ChannelCapabilities(maxTextLength: 4096, replyWindow: 86_400, ratePerSecond: 10)
  let sms = ChannelCapabilities(maxTextLength: 1600, ratePerSecond: 1)
  let now = Timestamp(millis: 10 * 86_400_000)

  @Test func repliesWithinTheWindowGoAndLaterOnesFail() {
    let policy = SendPolicy()
    let recent = SendPolicy.Facts(
      channel: "wa", capabilities: chat, lastInboundAt: Timestamp(millis: now.millis - 3_600_000))
    #expect(policy.check(recent, now: now) == nil)
    var old = recent
    old.lastInboundAt = Timestamp(millis: now.millis - 90_000_000)
    #expect(policy.check(old, now: now)?.code == "outside_reply_window")
    old.hasWindowFallback = true
    #expect(policy.check(old, now: now) == nil)
    var never = recent
    never.lastInboundAt = nil
    #expect(policy.check(never, now: now)?.code == "outside_reply_window")
  }

  @Test func optOutsBlockAllButTransactionalAndUnreachableBlocksAll() {
    let policy = SendPolicy()
    var facts = SendPolicy.Facts(
      channel: "sms", capabilities: sms, optedOut: ["sms"], transactional: false)
    #expect(policy.check(facts, now: now)?.code == "opted_out")
    facts.transactional = true
    #expect(policy.check(facts, now: now) == nil)
    facts.optedOut = ["other"]
    facts.transactional = false
    #expect(policy.check(facts, now: now) == nil)
    facts.unreachable = ["sms"]
    facts.transactional = true
    #expect(policy.check(facts, now: now)?.code == "recipient_unreachable")
  }
}

@Suite struct RetryAndRateTests {
  @Test func theSvixScheduleAndExponentialBackoff() {
    #expect(RetrySchedule.svix.maxAttempts == 8)
    #expect(RetrySchedule.svix.delay(afterAttempt: 1, random: 0.5) == 5)
    #expect(RetrySchedule.svix.delay(afterAttempt: 7, random: 0.5) == 36_000)
    #expect(RetrySchedule.svix.delay(afterAttempt: 8, random: 0.5) == nil)
    let backoff = RetrySchedule.exponential(total: 86_400)
    #expect(backoff.delays.prefix(4) == [1, 2, 4, 8])
    #expect(backoff.delays.max() == 600)
    #expect(backoff.delays.reduce(0, +) <= 86_400)
    // Jitter stays within its band; Retry-After wins when longer.
    for random in [0.0, 0.25, 0.999] {
      let delay = backoff.delay(afterAttempt: 5, random: random) ?? 0
      #expect(delay >= 16 * 0.8 && delay <= 16 * 1.2)
    }
    #expect(backoff.delay(afterAttempt: 1, retryAfter: 30, random: 0.5) == 30)
  }

  @Test func aTokenBucketNeverExceedsItsRate() {
    var bucket = TokenBucket(rate: 5, burst: 5, now: 0)
    var granted = 0
    var time = 0.0
    while time < 10 {
      if bucket.take(now: time) == .granted { granted += 1 }
      time += 0.01
    }
    #expect(granted <= 5 + 50)
    #expect(granted >= 50)
    var empty = TokenBucket(rate: 2, burst: 1, now: 0)
    #expect(empty.take(now: 0) == .granted)
    #expect(empty.take(now: 0) == .wait(0.5))
  }
}
