import HTTPTypes
import Storage

/// The one mapping of refusals to HTTP: pages, forms and the API all answer with it.
extension Refusal {
    /// 409 for duplicates, 404, 403 for what rules or ownership forbid, 400 for nonsense.
    var httpStatus: HTTPResponse.Status {
        switch self {
        case .conflict: .conflict
        case .notFound: .notFound
        case .forbidden, .ruleBroken: .forbidden
        case .invalid: .badRequest
        }
    }
}
