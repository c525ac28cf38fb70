/// Strips common inflectional endings from Russian and English words (`deliveries` →
/// `deliveri`, `заказами` → `заказ`), so forms of one word can share a feature. Deliberately
/// light: it never leaves fewer than three letters and knows nothing of exceptions.
public enum LightStemmer {
  static let russian: [[Unicode.Scalar]] = [
    "иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ешь", "ишь", "ой", "ей", "ом",
    "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых",
    "их", "ым", "им", "ть", "ет", "ит", "ут", "ют", "ат", "ят", "ла", "ло", "ли", "а", "я", "ы",
    "и", "у", "ю", "е", "о", "ь", "й",
  ].map { Array($0.unicodeScalars) }
  static let english: [[Unicode.Scalar]] = ["ing", "ed", "es", "ly", "s"].map {
    Array($0.unicodeScalars)
  }

  /// The stem of a normalised (lower-case) word; the word itself when nothing applies.
  public static func stem(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard word.count > 3, let first = word.first else { return word }
    let endings: [[Unicode.Scalar]]
    switch first.value {
    case 0x61...0x7A: endings = english
    case 0x0430...0x044F: endings = russian
    default: return word
    }
    for ending in endings
    where word.count - ending.count >= 3 && word.suffix(ending.count).elementsEqual(ending) {
      if ending == ["s"], word.suffix(2).elementsEqual(["s", "s"]) { continue }
      return Array(word.dropLast(ending.count))
    }
    return word
  }
}
