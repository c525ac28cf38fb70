import CCurl
import Synchronization

/// One libcurl easy handle and the state its callbacks fill: the bytes to upload, the bytes
/// received, the header lines (for IMAP and SMTP: every server line, the transcript).
///
/// Not thread-safe: a transfer is used by one thread at a time (the multi thread while it is
/// added there, an IMAP session's queue otherwise); ownership moves with the handle.
final class CurlTransfer: @unchecked Sendable {
  /// How header lines are kept.
  enum HeaderMode {
    /// Parse `Name: value` fields; a status line starts a new set.
    case http
    /// Keep every server line as text (IMAP, SMTP).
    case transcript
  }

  /// The easy handle (`CURL *`).
  let handle: UnsafeMutableRawPointer
  /// A number no other transfer of this process has (handle addresses get reused).
  let id = CurlTransfer.nextID.add(1, ordering: .relaxed).newValue
  private static let nextID = Atomic<UInt64>(0)
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var lists: [UnsafeMutablePointer<curl_slist>] = []
  private var setupError: CurlError?

  /// The URL without credentials, for errors and logs.
  var displayURL = ""
  /// Bytes the read callback hands to libcurl.
  var upload: [UInt8] = []
  private var uploadOffset = 0
  /// Bytes the write callback received.
  private(set) var body: [UInt8] = []
  /// The most body bytes accepted before the transfer is aborted.
  var maxBodyBytes = Int.max
  /// Set when the body limit aborted the transfer.
  private(set) var exceededLimit = false
  var headerMode = HeaderMode.http
  /// Parsed header fields of the latest response head (`.http`).
  private(set) var headers = CurlHeaders()
  /// Every header line (`.transcript`), without line endings.
  private(set) var transcript: [String] = []
  /// Called by the multi loop when the transfer ends.
  var onDone: ((CurlTransfer, CURLcode) -> Void)?

  /// Makes an easy handle with Junction's callbacks installed.
  init() throws(CurlError) {
    CurlGlobal.ensureInitialized()
    guard let handle = curl_easy_init() else {
      throw CurlError(kind: .other, code: 0, message: "curl_easy_init failed")
    }
    self.handle = handle
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    installCallbacks()
  }

  deinit {
    curl_easy_cleanup(handle)
    freeLists()
    errorBuffer.deallocate()
  }

  /// Clears every option and all state for the next operation, keeping the handle's live
  /// connections (IMAP sessions reuse one handle).
  func reset() {
    curl_easy_reset(handle)
    freeLists()
    setupError = nil
    displayURL = ""
    upload = []
    uploadOffset = 0
    body = []
    maxBodyBytes = .max
    exceededLimit = false
    headers.removeAll()
    transcript = []
    errorBuffer[0] = 0
    installCallbacks()
  }

  private func installCallbacks() {
    let context = Unmanaged.passUnretained(self).toOpaque()
    set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    set(CURLOPT_NOSIGNAL, 1)
    set(CURLOPT_NOPROGRESS, 1)
    _ = jc_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
    set(CURLOPT_WRITEDATA, pointer: context)
    _ = jc_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
    set(CURLOPT_HEADERDATA, pointer: context)
    _ = jc_setopt_data_callback(handle, CURLOPT_READFUNCTION, curlReadCallback)
    set(CURLOPT_READDATA, pointer: context)
    set(CURLOPT_PRIVATE, pointer: context)
  }

  // MARK: Options

  /// Sets a `long` option; the first failure is reported by `checkSetup()`.
  func set(_ option: CURLoption, _ value: Int) {
    record(jc_setopt_long(handle, option, value), option)
  }

  /// Sets a `curl_off_t` option.
  func set(_ option: CURLoption, offset value: Int64) {
    record(jc_setopt_offset(handle, option, curl_off_t(value)), option)
  }

  /// Sets a string option (libcurl copies it); nil clears it.
  func set(_ option: CURLoption, _ value: String?) {
    guard let value else {
      record(jc_setopt_string(handle, option, nil), option)
      return
    }
    if value.utf8.contains(0) {
      failSetup("option \(option.rawValue) contains a NUL byte")
      return
    }
    record(value.withCString { jc_setopt_string(handle, option, $0) }, option)
  }

  /// Sets a pointer option.
  func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
    record(jc_setopt_pointer(handle, option, pointer), option)
  }

  /// Sets a string-list option (headers, recipients); the list lives until `reset` or deinit.
  func set(_ option: CURLoption, list: [String]) {
    var head: UnsafeMutablePointer<curl_slist>? = nil
    for item in list {
      if item.utf8.contains(0) || item.utf8.contains(13) || item.utf8.contains(10) {
        failSetup("a list item for option \(option.rawValue) contains a control character")
        return
      }
      guard let next = curl_slist_append(head, item) else {
        failSetup("curl_slist_append failed")
        return
      }
      head = next
    }
    guard let head else {
      record(jc_setopt_list(handle, option, nil), option)
      return
    }
    lists.append(head)
    record(jc_setopt_list(handle, option, head), option)
  }

  /// Sets the TLS trust options.
  func apply(_ tls: CurlTLSOptions) {
    set(CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1 : 0)
    set(CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2 : 0)
    if let caFile = tls.caFile { set(CURLOPT_CAINFO, caFile) }
  }

  /// Makes a setup error for a request that cannot be expressed.
  func failSetup(_ message: String) {
    if setupError == nil {
      setupError = CurlError(kind: .invalidRequest, code: 0, message: message, url: displayURL)
    }
  }

  /// The first option that libcurl refused, if any.
  func checkSetup() -> CurlError? { setupError }

  private func record(_ code: CURLcode, _ option: CURLoption) {
    guard code != CURLE_OK, setupError == nil else { return }
    let text = String(cString: curl_easy_strerror(code))
    setupError = CurlError(
      code: Int(code.rawValue), message: "option \(option.rawValue): \(text)", url: displayURL)
  }

  private func freeLists() {
    for list in lists { curl_slist_free_all(list) }
    lists = []
  }

  // MARK: Performing and results

  /// Runs the transfer on the calling thread until it ends (IMAP sessions).
  func performBlocking() -> CURLcode { curl_easy_perform(handle) }

  /// The last response code: HTTP status, SMTP reply code, or 0.
  func responseCode() -> Int {
    var code = 0
    _ = jc_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
    return code
  }

  /// The URL that answered last.
  func effectiveURL() -> String {
    var pointer: UnsafeMutableRawPointer? = nil
    guard jc_getinfo_pointer(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK,
      let pointer
    else { return displayURL }
    return CurlURL.redacted(String(cString: pointer.assumingMemoryBound(to: CChar.self)))
  }

  /// The error for a failed result code, with libcurl's detailed message when it left one.
  func error(for code: CURLcode) -> CurlError {
    let detail = String(cString: errorBuffer)
    let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
      return CurlError(
        kind: .responseTooLarge, code: Int(code.rawValue),
        message: "response larger than \(maxBodyBytes) bytes", url: displayURL)
    }
    return CurlError(code: Int(code.rawValue), message: message, url: displayURL)
  }

  // MARK: Callbacks

  fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
    if body.count + bytes.count > maxBodyBytes {
      exceededLimit = true
      return 0
    }
    body.append(contentsOf: bytes)
    return bytes.count
  }

  fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
    var end = bytes.count
    while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
    let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    switch headerMode {
    case .transcript:
      transcript.append(line)
    case .http:
      if line.hasPrefix("HTTP/") {
        headers.removeAll()
      } else if let first = line.first, first == " " || first == "\t" {
        headers.appendContinuation(line)
      } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingSpaces()
        headers.append(name: name, value: value)
      }
    }
    return bytes.count
  }

  fileprivate func send(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let count = min(buffer.count, upload.count - uploadOffset)
    guard count > 0 else { return 0 }
    upload.withUnsafeBytes { source in
      buffer.copyMemory(
        from: UnsafeRawBufferPointer(rebasing: source[uploadOffset..<uploadOffset + count]))
    }
    uploadOffset += count
    return count
  }
}

private let curlWriteCallback: jc_data_callback = { data, size, count, context in
  guard let context else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
  return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlHeaderCallback: jc_data_callback = { data, size, count, context in
  guard let context else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
  return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlReadCallback: jc_data_callback = { data, size, count, context in
  guard let context, let data else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
  return transfer.send(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

extension CurlHeaders {
  /// Appends an obsolete folded continuation line to the last field's value.
  mutating func appendContinuation(_ line: String) {
    guard let last = fields.last else { return }
    removeLast()
    append(name: last.name, value: last.value + " " + line.trimmingSpaces())
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
