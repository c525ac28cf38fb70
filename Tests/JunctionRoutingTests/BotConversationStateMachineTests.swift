import JunctionModel
import Testing

@testable import JunctionRouting

@Suite struct BotConversationStateMachineTests {
  static let entries = [
    FAQEntry(
      id: "delivery_time", skill: "delivery",
      questions: [
        "ru": ["Сколько идёт доставка?", "Сколько стоит доставка в Казань?"],
        "en": ["How long does delivery take?", "How much is shipping?"],
      ],
      answers: ["ru": "Доставка 2–5 дней.", "en": "Delivery takes 2-5 days."]),
    FAQEntry(
      id: "working_hours",
      questions: ["ru": ["Какой у вас режим работы?"], "en": ["What are your working hours?"]],
      answers: ["ru": "С 9 до 21."]),
  ]
  static let bot: FAQBot = {
    var settings = BotSettings()
    settings.confidenceThreshold = 0.5
    settings.timeout = 60
    settings.defaultLanguage = "ru"
    return FAQBot(entries: entries, settings: settings)
  }()
  let start = Timestamp(millis: 1_000_000)

  func machine() -> BotConversationStateMachine { BotConversationStateMachine(bot: Self.bot) }

  @Test func answersInTheCustomersLanguage() {
    var russian = machine()
    #expect(
      russian.customerMessage("сколько стоит доставка в Казань?", at: start)
        == [.answer(entryId: "delivery_time", language: "ru", text: "Доставка 2–5 дней.")])
    var english = machine()
    #expect(
      english.customerMessage("how long does delivery tkae?", at: start)
        == [.answer(entryId: "delivery_time", language: "en", text: "Delivery takes 2-5 days.")])
    #expect(english.state == .answered(entryId: "delivery_time"))
  }

  @Test func fallsBackToTheDefaultLanguage() {
    var conversation = machine()
    #expect(
      conversation.customerMessage("what are your working hours", at: start)
        == [.answer(entryId: "working_hours", language: "ru", text: "С 9 до 21.")])
  }

  @Test func neverAnswersBelowItsConfidence() {
    var conversation = machine()
    #expect(
      conversation.customerMessage("my blender exploded and the kitchen is on fire", at: start) == [
        .handoff(.lowConfidence)
      ])
    #expect(conversation.state == .handedOff(.lowConfidence))
    #expect(
      Self.bot.bestMatch(TextNormalizer().normalize("my blender exploded")).map {
        $0.confidence < 0.5
      } == true)
  }

  @Test func humanRequestHandsOverAtOnce() {
    for text in [
      "позовите оператора", "Можно живого человека?", "I want to talk to a human agent",
      "اپراتور لطفا", "оператр!",
    ] {
      var conversation = machine()
      #expect(
        conversation.customerMessage(text, at: start) == [.handoff(.humanRequested)], "\(text)")
    }
    var afterAnswer = machine()
    _ = afterAnswer.customerMessage("сколько идёт доставка", at: start)
    #expect(
      afterAnswer.customerMessage("дайте оператора", at: start) == [.handoff(.humanRequested)])
  }

  @Test func negativeFeedbackHandsOver() {
    for text in ["Нет, не помогло", "not helpful", "no", "не памогло"] {
      var conversation = machine()
      _ = conversation.customerMessage("сколько идёт доставка", at: start)
      #expect(
        conversation.customerMessage(text, at: start) == [.handoff(.negativeFeedback)], "\(text)")
    }
  }

  @Test func aSecondQuestionItCannotAnswerHandsOver() {
    var conversation = machine()
    _ = conversation.customerMessage("сколько идёт доставка", at: start)
    #expect(
      conversation.customerMessage("а можно оплатить биткоинами через посредника?", at: start)
        == [.handoff(.unanswerableSecondQuestion)])
  }

  @Test func aSecondQuestionItCanAnswerGetsAnotherAnswer() {
    var conversation = machine()
    _ = conversation.customerMessage("сколько идёт доставка", at: start)
    let actions = conversation.customerMessage("какой у вас режим работы?", at: start)
    #expect(actions == [.answer(entryId: "working_hours", language: "ru", text: "С 9 до 21.")])
    #expect(conversation.answers == 2)
  }

  @Test func aGreetingWaitsForTheQuestionUntilTheTimeout() {
    var conversation = machine()
    #expect(conversation.customerMessage("Здравствуйте!", at: start) == [])
    #expect(conversation.deadline == start.adding(seconds: 60))
    #expect(conversation.timerFired(now: start.adding(seconds: 59)) == [])
    #expect(conversation.timerFired(now: start.adding(seconds: 60)) == [.handoff(.timeout)])
    #expect(conversation.deadline == nil)
  }

  @Test func aQuestionAfterAGreetingIsAnswered() {
    var conversation = machine()
    _ = conversation.customerMessage("Добрый день", at: start)
    #expect(
      conversation.customerMessage("сколько стоит доставка в Казань", at: start.adding(seconds: 10))
        .first
        == .answer(entryId: "delivery_time", language: "ru", text: "Доставка 2–5 дней."))
    #expect(conversation.deadline == nil)
  }

  @Test func aLateMessageAfterTheDeadlineHandsOverForTimeout() {
    var conversation = machine()
    _ = conversation.customerMessage("алло", at: start)
    #expect(
      conversation.customerMessage("сколько идёт доставка", at: start.adding(seconds: 61)) == [
        .handoff(.timeout)
      ])
  }

  @Test func afterHandoffTheBotStaysSilent() {
    var conversation = machine()
    _ = conversation.customerMessage("оператор", at: start)
    #expect(conversation.customerMessage("сколько идёт доставка", at: start) == [])
    #expect(conversation.timerFired(now: start.adding(seconds: 1000)) == [])
  }

  @Test func everyHandoffReasonHasItsEventName() {
    #expect(
      HandoffReason.allCases.map(\.rawValue) == [
        "human_requested", "unanswerable_second_question", "negative_feedback", "timeout",
        "low_confidence",
      ])
  }
}

@Suite struct BotRestoreTests {
  @Test func aRestoredConversationKeepsItsDeadlineAndState() {
    let start = Timestamp(millis: 5_000)
    var restored = BotConversationStateMachine(
      bot: BotConversationStateMachineTests.bot, state: .listening, waitingSince: start, answers: 0)
    #expect(restored.deadline == start.adding(seconds: 60))
    #expect(restored.timerFired(now: start.adding(seconds: 60)) == [.handoff(.timeout)])
    var answered = BotConversationStateMachine(
      bot: BotConversationStateMachineTests.bot, state: .answered(entryId: "delivery_time"),
      waitingSince: nil, answers: 1)
    #expect(answered.customerMessage("не помогло", at: start) == [.handoff(.negativeFeedback)])
  }
}
