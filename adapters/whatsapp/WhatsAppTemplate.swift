import JunctionChannels
import JunctionModel

/// The approved message template a WhatsApp channel sends instead of free-form text once the
/// customer service window (24 h after the customer's last message) has closed.
///
/// Setting `template`: `{"name": "support_followup", "language": "ru", "text_parameter": true}`.
/// `text_parameter` puts the reply text into the template body's variable: `true` for a
/// positional `{{1}}`, a string for a named variable (`"text_parameter": "reply"` fills
/// `{{reply}}`); absent or `false` sends the template as approved, without the reply text.
struct WhatsAppTemplate: Sendable, Equatable {
  /// How the reply text goes into the template.
  enum TextParameter: Sendable, Equatable {
    case none
    case positional
    case named(String)
  }

  var name: String
  /// Language (and locale) code the template was approved in: `ru`, `en_US`.
  var language: String
  var textParameter: TextParameter

  /// Reads the `template` setting; throws naming the bad member.
  init(setting: JSONObject) throws(ChannelError) {
    guard let name = setting["name"]?.stringValue, !name.isEmpty else {
      throw .invalidSetting(name: "template.name", reason: "a template name is required")
    }
    guard let language = setting["language"]?.stringValue, !language.isEmpty else {
      throw .invalidSetting(
        name: "template.language", reason: "a language code such as \"ru\" is required")
    }
    for key in setting.keys where !["name", "language", "text_parameter"].contains(key) {
      throw .invalidSetting(
        name: "template.\(key)", reason: "unknown member (known: name, language, text_parameter)")
    }
    switch setting["text_parameter"] {
    case nil, .null, .bool(false): textParameter = .none
    case .bool(true): textParameter = .positional
    case .string(let parameter) where !parameter.isEmpty: textParameter = .named(parameter)
    default:
      throw .invalidSetting(
        name: "template.text_parameter",
        reason: "expected true, false or the name of the body variable")
    }
    self.name = name
    self.language = language
  }

  /// The `template` object of a send request carrying `text`.
  func render(text: String?) -> JSON {
    var template: JSONObject = [
      "name": .string(name), "language": ["code": .string(language)],
    ]
    if let text = text.map(Self.parameterText), !text.isEmpty {
      var parameter: JSONObject = ["type": "text", "text": .string(text)]
      switch textParameter {
      case .none: return .object(template)
      case .positional: break
      case .named(let name): parameter["parameter_name"] = .string(name)
      }
      template["components"] = [["type": "body", "parameters": [.object(parameter)]]]
    }
    return .object(template)
  }

  /// WhatsApp refuses template variables with new lines, tabs or more than four consecutive
  /// spaces: every run of whitespace becomes one space.
  static func parameterText(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
