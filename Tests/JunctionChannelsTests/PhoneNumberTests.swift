import Testing

@testable import JunctionChannels

/// E.164 normalisation: the same number written any way becomes one contact key.
@Suite struct PhoneNumberTests {
  @Test(
    arguments: [
      ("+7 (916) 123-45-67", nil, "+79161234567"),
      ("+79161234567", nil, "+79161234567"),
      ("0079161234567", nil, "+79161234567"),
      ("tel:+7-916-123-45-67", nil, "+79161234567"),
      ("79161234567", nil, "+79161234567"),  // WhatsApp wa_id, Vonage msisdn
      ("8 (916) 123-45-67", "RU", "+79161234567"),
      ("89161234567", "RU", "+79161234567"),
      ("9161234567", "RU", "+79161234567"),
      ("79161234567", "RU", "+79161234567"),
      ("8 10 44 20 7946 0958", "RU", "+442079460958"),
      ("8 800 555 35 35", "RU", "+78005553535"),
      ("(415) 555-0123", "US", "+14155550123"),
      ("415.555.0123", "CA", "+14155550123"),
      ("1 415 555 0123", "US", "+14155550123"),
      ("011 44 20 7946 0958", "US", "+442079460958"),
      ("07700 900123", "GB", "+447700900123"),
      ("447700900123", "GB", "+447700900123"),
      ("0912 345 6789", "IR", "+989123456789"),
      ("09123456789", "IR", "+989123456789"),
      ("0151 12345678", "DE", "+4915112345678"),
      ("030 1234567", "DE", "+49301234567"),
      ("06 12 34 56 78", "FR", "+33612345678"),
      ("+44\u{A0}7700\u{A0}900123", nil, "+447700900123"),
      ("+380 44 123 4567", "ru", "+380441234567"),
    ] as [(String, String?, String)])
  func normalises(_ raw: String, _ country: String?, _ expected: String) {
    #expect(PhoneNumber.e164(raw, defaultCountry: country) == expected)
  }

  @Test(
    arguments: [
      ("", nil), ("+", nil), ("hello", nil), ("InfoSMS", nil), ("12345", nil), ("900", "RU"),
      ("+7 916 123 45 67 8", nil),  // 11 national digits under +7
      ("+1 415 555 012", nil),  // 9 national digits under +1
      ("+0123456789", nil), ("+2101234567", nil),  // 0 and 210 are not country codes
      ("+12345678901234567", nil), ("++79161234567", nil), ("+7916+1234567", nil),
      ("+7 916 123 45 67 ext 5", nil), ("*100#", nil),
      ("8 (916) 123-45-67", nil),  // a local format without a default country
      ("07700 900123", "US"),
    ] as [(String, String?)])
  func rejectsGarbage(_ raw: String, _ country: String?) {
    #expect(PhoneNumber.e164(raw, defaultCountry: country) == nil)
  }

  @Test func anSMSSenderAndAWhatsAppIdOfOneNumberAreEqual() {
    let sms = PhoneNumber.e164("8 916 123-45-67", defaultCountry: "RU")
    let whatsapp = PhoneNumber.e164("79161234567")
    let twilio = PhoneNumber.e164("+79161234567", defaultCountry: "US")
    #expect(sms != nil)
    #expect(sms == whatsapp)
    #expect(sms == twilio)
  }

  @Test func callingCodesAndValidity() {
    #expect(PhoneNumber.callingCode(of: "+79161234567") == "7")
    #expect(PhoneNumber.callingCode(of: "+447700900123") == "44")
    #expect(PhoneNumber.callingCode(of: "+380441234567") == "380")
    #expect(PhoneNumber.isE164("+79161234567"))
    #expect(!PhoneNumber.isE164("79161234567"))
    #expect(!PhoneNumber.isE164("+7 916 123 45 67"))
    #expect(PhoneNumber.Country.named("gb")?.callingCode == "44")
    #expect(PhoneNumber.Country.named("XX") == nil)
  }

  @Test func neverCrashesOnArbitraryInput() {
    var generator = SplitMix(seed: 11)
    let alphabet = Array("0123456789+()-. tel:8\u{A0}яz#")
    for _ in 0..<2000 {
      let length = Int(generator.next() % 24)
      let text = String(
        (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
      if let number = PhoneNumber.e164(text, defaultCountry: "RU") {
        #expect(PhoneNumber.isE164(number))
      }
    }
  }
}
