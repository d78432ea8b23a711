import Hummingbird

extension RouterMethods {
    /// Registers `handler` for a documented operation: its method and path
    /// come from `APIContract`, so the router cannot serve what the document
    /// does not describe, and a test checks nothing documented is left out.
    @discardableResult
    func on(_ operation: APIOperation, use handler: @Sendable @escaping (Request, Context) async throws -> some ResponseGenerator) -> Self {
        on(RouterPath(operation.routerPath), method: operation.method, use: handler)
    }
}
