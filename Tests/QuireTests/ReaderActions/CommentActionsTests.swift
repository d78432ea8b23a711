import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of comments, against the in-memory store.
@Suite struct CommentActionsTests {
    /// A store with two papers, two readers, a moderator and a site admin.
    struct World {
        let store: InMemoryStore
        let ada: User, bob: User, moderator: User, admin: User
        var comments: CommentActions { CommentActions(store: store) }
    }

    static func world() async throws -> World {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x"), Paper(id: "2410.00002", title: "Another", abstract: "y")])
        func user(_ name: String, _ role: Role) async throws -> User {
            try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: role, now: Date())
        }
        return World(store: store, ada: try await user("ada", .reader), bob: try await user("bob", .reader),
                     moderator: try await user("mo", .moderator), admin: try await user("root", .admin))
    }

    @Test func repliesGoOneLevelDeepOnTheSamePaper() async throws {
        let w = try await Self.world()
        let top = try await w.comments.add(to: "2410.00001", replyingTo: nil, body: "first", by: w.ada)
        let reply = try await w.comments.add(to: "2410.00001", replyingTo: top.id, body: "second", by: w.bob)
        await #expect(throws: Refusal.conflict("replies go one level deep: reply to comment \(top.id) instead")) {
            try await w.comments.add(to: "2410.00001", replyingTo: reply.id, body: "third", by: w.ada)
        }
        await #expect(throws: Refusal.notFound("there is no comment \(top.id) on 2410.00002")) {
            try await w.comments.add(to: "2410.00002", replyingTo: top.id, body: "elsewhere", by: w.ada)
        }
        await #expect(throws: Refusal.notFound("Quire has no paper 'nope'")) {
            try await w.comments.add(to: "nope", replyingTo: nil, body: "x", by: w.ada)
        }
        #expect(try await w.store.comments(paperID: "2410.00001").count == 2)
    }

    @Test func bodiesAreTrimmedNotBlankAndCapped() async throws {
        let w = try await Self.world()
        #expect(try await w.comments.add(to: "2410.00001", replyingTo: nil, body: "  hello \n", by: w.ada).body == "hello")
        await #expect(throws: Refusal.invalid("the comment is empty")) {
            try await w.comments.add(to: "2410.00001", replyingTo: nil, body: " \t\n", by: w.ada)
        }
        await #expect(throws: Refusal.invalid("the comment is empty")) {
            try await w.comments.add(to: "2410.00001", replyingTo: nil, body: nil, by: w.ada)
        }
        let long = String(repeating: "é", count: CommentActions.maxLength + 1)
        await #expect(throws: Refusal.invalid("comments can be at most 10000 characters; this one has 10001")) {
            try await w.comments.add(to: "2410.00001", replyingTo: nil, body: long, by: w.ada)
        }
        #expect(try CommentActions.body(String(repeating: "x", count: CommentActions.maxLength)).count == CommentActions.maxLength)
    }

    @Test func onlyTheAuthorEditsOrDeletes() async throws {
        let w = try await Self.world()
        let top = try await w.comments.add(to: "2410.00001", replyingTo: nil, body: "first", by: w.ada)
        _ = try await w.comments.add(to: "2410.00001", replyingTo: top.id, body: "second", by: w.bob)
        for other in [w.bob, w.moderator, w.admin] {
            await #expect(throws: Refusal.forbidden("only its author can change comment \(top.id)")) {
                try await w.comments.edit(top.id, body: "mine", by: other)
            }
            await #expect(throws: Refusal.forbidden("only its author can change comment \(top.id)")) { try await w.comments.delete(top.id, by: other) }
        }
        #expect(try await w.comments.edit(top.id, body: " better ", by: w.ada).body == "better")
        try await w.comments.delete(top.id, by: w.ada)
        // Kept for its reply, but gone for its author too.
        await #expect(throws: Refusal.notFound("comment \(top.id) was deleted")) { try await w.comments.edit(top.id, body: "back", by: w.ada) }
        await #expect(throws: Refusal.notFound("there is no comment 999")) { try await w.comments.delete(999, by: w.ada) }
    }

    @Test func onlyModeratorsHideAndHiddenCommentsShowToThemAndTheAuthor() async throws {
        let w = try await Self.world()
        let comment = try await w.comments.add(to: "2410.00001", replyingTo: nil, body: "rude", by: w.ada)
        _ = try await w.comments.add(to: "2410.00001", replyingTo: nil, body: "polite", by: w.bob)
        await #expect(throws: Refusal.forbidden("only moderators can hide comments")) {
            try await w.comments.setHidden(comment.id, hidden: true, by: w.bob)
        }
        #expect(try await w.comments.setHidden(comment.id, hidden: true, by: w.moderator).hidden)
        for viewer in [w.ada, w.moderator, w.admin] {
            #expect(try await w.comments.visible(on: "2410.00001", to: viewer).map(\.body) == ["rude", "polite"])
        }
        for viewer in [w.bob, nil] {
            #expect(try await w.comments.visible(on: "2410.00001", to: viewer).map(\.body) == ["polite"])
        }
        #expect(try await w.comments.setHidden(comment.id, hidden: false, by: w.admin).hidden == false)
        #expect(try await w.comments.visible(on: "2410.00001", to: nil).count == 2)
    }
}
