import Search

/// A reader's trained model: what `Recommender.trainBlocking` returns and
/// `rankBlocking` scores every paper with.
public struct ReaderModel: Sendable {
    /// What it was trained from.
    public let profile: ReaderProfile
    let linear: LogisticRegression
    /// The reader's words and their weights (`RecommenderSettings.keywordWeight`); empty without a keyword index.
    public let keywordTerms: [WeightedTerm]
    /// Given ids that are not papers with a vector (ignored).
    public let unknownIDs: [String]
    /// How long training took, for the figures (bench/foryou_speed.sh).
    public let trainingTime: Duration
}

