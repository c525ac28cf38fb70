import JunctionConfig
import JunctionModel
import Testing

@testable import JunctionChannels

/// STOP / START / HELP: whole messages only, any case and spacing, configurable.
@Suite struct OptOutKeywordsTests {
  let keywords = OptOutKeywords()

  @Test(arguments: [
    ("STOP", OptOutKeywords.Action.optOut), ("stop", .optOut), ("  Stop.  ", .optOut),
    ("STOP!", .optOut), ("Stop all", .optOut), ("S T O P", .optOut), ("unsubscribe", .optOut),
    ("Cancel", .optOut), ("end", .optOut), ("QUIT", .optOut), ("стоп", .optOut),
    ("Стоп!", .optOut), ("отписаться", .optOut), ("Отписаться.", .optOut),
    ("\tSTOPALL\n", .optOut), ("START", .optIn), ("start", .optIn), ("Unstop", .optIn),
    ("yes", .optIn), ("старт", .optIn), ("HELP", .help), ("help?", .help), ("info", .help),
    ("Справка", .help),
  ])
  func recognises(_ text: String, _ action: OptOutKeywords.Action) {
    #expect(keywords.match(text) == action)
  }

  @Test(arguments: [
    "please stop sending me this", "STOP it", "stopped", "¡STOP", "", "   ", "...",
    "Не могу отписаться", "HELP me with my order", "yesterday", "stop stop",
  ])
  func ignoresOrdinaryMessages(_ text: String) {
    #expect(keywords.match(text) == nil)
  }

  @Test func listsAreConfigurableAndOptOutWinsOverlaps() {
    let custom = OptOutKeywords(optOut: ["BASTA", "STOP"], optIn: ["AVANTI", "STOP"], help: [])
    #expect(custom.match("basta") == .optOut)
    #expect(custom.match("Avanti!") == .optIn)
    #expect(custom.match("stop") == .optOut)
    #expect(custom.match("HELP") == nil)
    #expect(custom.match("START") == nil)
  }

  @Test func longTextsAreNeverKeywords() {
    #expect(keywords.match(String(repeating: " ", count: 300) + "STOP") == nil)
  }
}

/// The SMS settings the gateway reads through `SMSChannel`.
@Suite struct SMSSettingsTests {
  func settings(_ values: JSONObject) -> SMSSettings {
    let context = ConfigContext(file: "channels.json")
    let object = ConfigObject(.object(values), path: "settings", context: context)
    let validated = SettingSpec.validate(object, against: SMSSettings.specs())
    return SMSSettings(settings: validated)
  }

  @Test func defaultsAreTheStandardKeywordsAndBilingualReplies() {
    let sms = settings([:])
    #expect(sms == SMSSettings())
    #expect(sms.maxSegments == 10)
    #expect(sms.reply(for: .optOut)?.contains("СТАРТ") == true)
    #expect(sms.reply(for: .help)?.contains("STOP") == true)
  }

  @Test func configuredValuesAreUsed() {
    let sms = settings([
      "opt_out_keywords": ["BASTA"], "opt_out_reply": "Basta così.", "max_segments": 3,
      "default_country": "RU", "keyword_replies": true,
    ])
    #expect(sms.keywords.match("basta") == .optOut)
    #expect(sms.keywords.match("STOP") == nil)
    #expect(sms.reply(for: .optOut) == "Basta così.")
    #expect(sms.reply(for: .optIn) == SMSSettings.defaultOptInReply)
    #expect(sms.defaultCountry == "RU")
    #expect(sms.check(String(repeating: "a", count: 459)) == nil)
    let refusal = sms.check(String(repeating: "a", count: 460))
    #expect(refusal?.code == "too_many_segments")
    #expect(refusal?.message.contains("4 SMS segments") == true)
  }

  @Test func providerKeywordVerdictsWinAndRepliesCanBeLeftToTheProvider() {
    var sms = SMSSettings()
    sms.sendsKeywordReplies = false
    let sender = SenderProfile(externalId: "+15005550006")
    let revoke = InboundMessage(
      providerMessageId: "SM1", sender: sender, text: "REVOKE", details: ["opt_out_type": "STOP"])
    #expect(sms.keywordAction(for: revoke) == .optOut)
    let plain = InboundMessage(providerMessageId: "SM2", sender: sender, text: "Start")
    #expect(sms.keywordAction(for: plain) == .optIn)
    #expect(sms.reply(for: .optIn) == nil)
  }

  @Test func anUnknownCountryIsAConfigError() {
    let context = ConfigContext(file: "channels.json")
    let object = ConfigObject(
      .object(["default_country": "XX"]), path: "settings", context: context)
    _ = SettingSpec.validate(object, against: SMSSettings.specs())
    #expect(!context.issues.isEmpty)
  }
}
