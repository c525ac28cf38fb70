extension SpellingCorrector {
  /// Rare known words (used at most `rareCount` times, `minimumLetters` letters or more) mapped
  /// to the most frequent other known word within one edit when that one is used at least
  /// `commonCount` times: most such pairs are typos in the examples themselves.
  func rareReplacements(rareCount: Int, commonCount: Int, minimumLetters: Int) -> [String: String] {
    var result: [String: String] = [:]
    for (word, count) in frequency where count <= rareCount {
      let scalars = Array(word.unicodeScalars)
      guard scalars.count >= minimumLetters, scalars.count <= Self.maximumLength,
        scalars.first != "<", !scalars.contains(where: { $0.value >= 0x30 && $0.value <= 0x39 })
      else { continue }
      var best: (word: String, count: Int)?
      for key in [word] + Self.deletions(of: word) {
        for known in deletes[key] ?? [] where known != word {
          let knownCount = frequency[known] ?? 0
          guard knownCount >= commonCount, knownCount > best?.count ?? 0,
            Self.withinOneEdit(scalars, Array(known.unicodeScalars))
          else { continue }
          best = (known, knownCount)
        }
      }
      if let best { result[word] = best.word }
    }
    return result
  }
}
