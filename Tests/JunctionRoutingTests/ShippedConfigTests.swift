import Foundation
import JunctionConfig
import JunctionModel
import Testing

@testable import JunctionRouting

/// The shipped `config/` is what a new user runs: it must load cleanly and route believable
/// shop messages the way a person would.
@Suite struct ShippedConfigTests {
  static let directory = ConfigDirectory(
    path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("config").path,
    environment: [:])
  static let loaded: Result<Understanding, ConfigError> = Result { () throws(ConfigError) in
    try Understanding.load(directory).understanding
  }

  func understanding() throws -> Understanding { try Self.loaded.get() }

  @Test func loadsWithoutIssues() throws {
    let (config, issues, warnings) = UnderstandingConfig.read(Self.directory)
    #expect(issues.isEmpty, "\(issues)")
    #expect(warnings.isEmpty, "\(warnings)")
    #expect(config.skillIds == ["billing", "delivery", "general", "returns", "sales", "technical"])
    #expect(config.tiers.map(\.id) == ["bot", "L1", "L2"])
    #expect(config.faq.map(\.id).count == 5)
    for skill in config.skillIds where skill != "general" {
      #expect(config.examples.filter { $0.label == skill }.count >= 25, "\(skill)")
    }
  }

  @Test(arguments: [
    ("Сколько стоит доставка в Казань?", "delivery"),
    ("сколко стоит доставка в казань?", "delivery"),
    ("Скольк стоит дсотавка в Казань", "delivery"),
    ("Деньги списали два раза за заказ 48213", "billing"),
    ("Пришла сломанная кофеварка, хочу вернуть", "returns"),
    ("не могу зайти в личный кабинет, пароль не подходит", "technical"),
    ("есть ли в наличии кроссовки 42 размера?", "sales"),
    ("I was charged twice", "billing"),
    ("my parcel still hasn't arrived, where is it?", "delivery"),
    ("The app keeps crashing on login", "technical"),
    ("do you have this jacket in black?", "sales"),
    ("please refund my order", "returns"),
    ("کالا خراب است می‌خواهم پس بدهم", "returns"),
  ])
  func classifiesShopMessages(_ text: String, _ skill: String) throws {
    let result = try understanding().understand(text: text)
    #expect(result.skill.skill == skill, "\(text): \(result.skill.json)")
  }

  @Test func kazanDeliveryWithTypoGetsTheDeliveryAnswer() throws {
    let understanding = try understanding()
    let result = understanding.understand(text: "сколько стоит доставка в Казнь?")
    #expect(result.skill.skill == "delivery")
    #expect(result.complexity.tier == "bot")
    #expect(result.faq?.entryId == "delivery_time")
    #expect(result.botAnswers)
    var bot = understanding.botConversation()
    let actions = bot.customerMessage("сколько стоит доставка в Казнь?", at: Timestamp(millis: 0))
    guard case .answer(let entry, let language, let text)? = actions.first else {
      Issue.record("expected an answer, got \(actions)")
      return
    }
    #expect(entry == "delivery_time")
    #expect(language == "ru")
    #expect(text.contains("Казань"))
  }

  @Test func englishQuestionGetsTheEnglishAnswer() throws {
    var bot = try understanding().botConversation()
    let actions = bot.customerMessage("What are your workng hours?", at: Timestamp(millis: 0))
    #expect(
      actions.first.map { if case .answer("working_hours", "en", _) = $0 { true } else { false } }
        == true, "\(actions)")
  }

  @Test func operatorRequestHandsOver() throws {
    var bot = try understanding().botConversation()
    #expect(
      bot.customerMessage("позовите оператора", at: Timestamp(millis: 0)) == [
        .handoff(.humanRequested)
      ])
  }

  @Test func complaintIsNotForTheBot() throws {
    let result = try understanding().understand(
      text: "Это безобразие, пишу жалобу, верните деньги за сломанный телевизор",
      channelKind: "email",
      contactAttributes: ["vip": true], recentConversations: 2)
    #expect(result.skill.skill == "returns")
    #expect(result.complexity.tier == "L2", "\(result.complexity.json)")
    #expect(!result.botAnswers)
  }
}
