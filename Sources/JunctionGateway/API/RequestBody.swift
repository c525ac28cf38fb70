import JunctionHTTP
import JunctionModel

/// Reads a helpdesk request's JSON body strictly: an object, only the members the endpoint
/// knows (an unknown member is a 400 naming it). An empty body reads as `{}`.
enum RequestBody {
  static func object(_ request: HTTPRequest, allowed: Set<String>) -> Result<
    FieldReader, CommandFailure
  > {
    let json: JSON
    if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      json = .object(JSONObject())
    } else {
      do {
        json = try JSON.parse(request.body)
      } catch {
        return .failure(.rejected(.error(400, code: "invalid_json", message: error.description)))
      }
    }
    let reader: FieldReader
    do {
      reader = try FieldReader(json)
    } catch {
      return .failure(invalid(error))
    }
    if let unknown = reader.object.keys.first(where: { !allowed.contains($0) }) {
      return .failure(
        .rejected(.error(400, code: "invalid_field", message: "\(unknown): unknown field")))
    }
    return .success(reader)
  }

  /// A 400 for a field error.
  static func invalid(_ error: FieldError) -> CommandFailure {
    .rejected(.error(400, code: "invalid_field", message: error.description))
  }

  /// A 400 naming `field`.
  static func invalid(_ field: String, _ message: String) -> CommandFailure {
    .rejected(.error(400, code: "invalid_field", message: "\(field): \(message)"))
  }

  /// A 404 for an unknown conversation.
  static func noConversation(_ id: String) -> CommandFailure {
    .rejected(.error(404, code: "not_found", message: "no conversation \(id)"))
  }

  /// Runs `body`, turning a ``FieldError`` into a 400.
  static func fields<T>(_ body: () throws(FieldError) -> T) -> Result<T, CommandFailure> {
    do {
      return .success(try body())
    } catch {
      return .failure(invalid(error))
    }
  }
}
