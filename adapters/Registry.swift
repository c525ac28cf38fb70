import JunctionChannels

/// Every channel adapter Junction ships: one line per folder under `adapters/`.
///
/// A test checks that this list and the folders agree.
public enum AdapterRegistry {
  public static let all: [any ChannelAdapter.Type] = [
    APIAdapter.self,
    WhatsAppAdapter.self,
    MessengerAdapter.self,
    TelegramAdapter.self,
    VKAdapter.self,
    EmailAdapter.self,
    TwilioAdapter.self,
    VonageAdapter.self,
    KannelAdapter.self,
  ]

  /// The adapter type named `name` (its folder name).
  public static func adapter(named name: String) -> (any ChannelAdapter.Type)? {
    all.first { $0.manifest.name == name }
  }
}
