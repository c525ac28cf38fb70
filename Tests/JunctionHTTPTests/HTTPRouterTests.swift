import Testing

@testable import JunctionHTTP

@Suite struct HTTPRouterTests {
  func router() -> HTTPRouter {
    let router = HTTPRouter()
    router.add(.get, "/v1/events") { _, responder in responder.respond(.text(200, "events")) }
    router.add(.post, "/v1/inbound/{channel}") { _, responder in
      responder.respond(.text(200, "inbound"))
    }
    router.add(.get, "/v1/conversations/{id}") { _, responder in
      responder.respond(.text(200, "one"))
    }
    router.add(.post, "/v1/conversations/{id}/messages") { _, responder in
      responder.respond(.text(200, "reply"))
    }
    return router
  }

  func route(_ match: HTTPRouter.Match) -> (name: String, parameters: [String: String])? {
    guard case .found(let route, let parameters) = match else { return nil }
    return (route.name, parameters)
  }

  @Test func pathsSplitIntoTheSegmentsAfterTheFirstSlashKeepingEmptyOnes() {
    #expect(HTTPRouter.split("/v1/inbound/x") == ["v1", "inbound", "x"])
    #expect(HTTPRouter.split("/") == [""])
    #expect(HTTPRouter.split("") == [])
    #expect(HTTPRouter.split("no-slash") == [])
    #expect(HTTPRouter.split("//x/") == ["", "x", ""])
    #expect(HTTPRouter.split("/привет/мир") == ["привет", "мир"])
  }

  @Test func aPathMatchesOnlyTheRouteWithItsSegmentsAndDecodesParameters() {
    let router = router()
    let inbound = route(router.match(.post, "/v1/inbound/shop%20ru"))
    #expect(inbound?.name == "POST /v1/inbound/{channel}")
    #expect(inbound?.parameters == ["channel": "shop ru"])
    #expect(route(router.match(.post, "/v1/conversations/c1/messages"))?.parameters == ["id": "c1"])
    #expect(route(router.match(.get, "/v1/conversations/c1"))?.name == "GET /v1/conversations/{id}")
    #expect(route(router.match(.get, "/v1/events")) != nil)
  }

  @Test func literalsCompareByteForByteAndEmptyParametersDoNotMatch() {
    let router = router()
    guard case .notFound = router.match(.get, "/v1/Events") else {
      Issue.record("a literal segment must match case and bytes exactly")
      return
    }
    guard case .notFound = router.match(.post, "/v1/inbound/") else {
      Issue.record("an empty segment is no parameter value")
      return
    }
    guard case .notFound = router.match(.get, "/v1/events/extra") else {
      Issue.record("a path with more segments matches no route")
      return
    }
  }

  @Test func theRightPathWithTheWrongMethodListsTheAllowedOnesAndHeadFallsBackToGet() {
    let router = router()
    guard case .methodNotAllowed(let allowed) = router.match(.delete, "/v1/inbound/shop") else {
      Issue.record("expected 405")
      return
    }
    #expect(allowed == [.post])
    #expect(route(router.match(.head, "/v1/events"))?.name == "GET /v1/events")
  }

  /// Where two routes fit a path, the first added wins, and HEAD picks the same route as GET;
  /// only that route's parameters are decoded.
  @Test func theFirstFittingRouteWinsForGetAndHeadAlike() {
    let router = HTTPRouter()
    router.add(.get, "/v1/events/stream") { _, responder in responder.respond(.text(200, "s")) }
    router.add(.get, "/v1/events/{id}") { _, responder in responder.respond(.text(200, "e")) }
    for method in [HTTPMethod.get, .head] {
      let stream = route(router.match(method, "/v1/events/stream"))
      #expect(stream?.name == "GET /v1/events/stream")
      #expect(stream?.parameters == [:])
      let one = route(router.match(method, "/v1/events/ev%201"))
      #expect(one?.name == "GET /v1/events/{id}")
      #expect(one?.parameters == ["id": "ev 1"])
    }
  }
}
