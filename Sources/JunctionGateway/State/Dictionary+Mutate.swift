extension Dictionary {
  /// Mutates the value for `key` in place: one lookup, and the value is never copied (unlike
  /// `dictionary[key]?.field = …`, which copied the whole record, retaining every field, on
  /// each of the state's hot paths). Does nothing and returns false when `key` is absent.
  @discardableResult
  mutating func mutateValue(forKey key: Key, _ body: (inout Value) throws -> Void) rethrows
    -> Bool
  {
    guard let index = index(forKey: key) else { return false }
    try body(&values[index])
    return true
  }
}
