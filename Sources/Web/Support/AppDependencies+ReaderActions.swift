import Digest
import ReaderActions
import Recommendations

/// The rules of what readers do (ReaderActions), set up with this server's
/// store, clock and settings. `buildRouter` hands each controller the ones
/// it calls; handlers do not write to the store themselves.
extension AppDependencies {
    var accountActions: AccountActions {
        AccountActions(store: store, hasher: PasswordHasher(cost: security.bcryptCost),
                       lockout: .init(after: security.lockAfterFailures, duration: security.lockDuration), now: now)
    }

    var commentActions: CommentActions { CommentActions(store: store, now: now) }

    var collectionActions: CollectionActions { CollectionActions(store: store, now: now) }

    var digestActions: DigestActions { DigestActions(store: store, now: now) }

    var webhookActions: WebhookActions {
        WebhookActions(store: store, addressCheck: webhookAddressCheck, retryBase: webhookRetryBase, now: now)
    }

    var webhookTester: WebhookTester {
        WebhookTester(transport: webhookTransport ?? WebhookPoster(check: webhookAddressCheck), payload: WebhookPayload(baseURL: publicURL))
    }

    var categoryDefaults: CategoryDefaultActions { CategoryDefaultActions(store: store) }

    var organizationActions: OrganizationActions { OrganizationActions(store: store, now: now) }

    var upvoteActions: UpvoteActions { UpvoteActions(store: store, now: now) }

    var feedSignalActions: FeedSignalActions { FeedSignalActions(store: store, now: now) }
    var ownPaperActions: OwnPaperActions { OwnPaperActions(store: store, signals: feedSignalActions) }

    var privateFeedActions: PrivateFeedActions { PrivateFeedActions(store: store, now: now) }

    var muteActions: MuteActions { MuteActions(store: store, now: now) }

    var interestActions: InterestActions { InterestActions(store: store, now: now) }

    /// Without the semantic index there are no vectors to learn from: the feed shows trending papers.
    var forYouFeed: ForYouFeed {
        ForYouFeed(store: store, recommender: search.semantic.map { Recommender(index: $0.index, keywords: search.keywordIndex) }, models: feedModels)
    }

    var submissionActions: SubmissionActions { SubmissionActions(store: store, rules: security.submissionRules, now: now) }
}
