/// The raw dump formats `loadDataset` understands; `rawValue` is the CLI `--format` value.
public enum DatasetFormat: String, CaseIterable, Sendable, Codable {
    /// MovieLens 100K: `u.data` (tab-separated), `u.item` and `u.user` (`|`-separated, latin-1).
    case movielens100k = "movielens-100k"
    /// MovieLens 1M and 10M: `ratings.dat`, `movies.dat`, `users.dat` (`::`-separated, latin-1).
    case movielens1m = "movielens-1m"
    /// MovieLens 20M/25M/32M/latest-small: `ratings.csv`, `movies.csv` (quoted CSV with headers).
    case movielensCSV = "movielens-csv"
    /// Amazon 2014 (McAuley): JSON-lines reviews, Python-literal meta (`meta_*.json[.gz]`).
    case amazon2014 = "amazon-2014"
    /// Amazon 2018 (Ni et al.): JSON-lines reviews and meta.
    case amazon2018 = "amazon-2018"
    /// Amazon 2023 (Hou et al.): JSON-lines reviews (`parent_asin`, millisecond timestamps) and meta.
    case amazon2023 = "amazon-2023"
    /// RecBole atomic files: `<name>.inter`, `<name>.item`, `<name>.user` with `name:type` headers.
    case recbole
    /// LC-Rec / LETTER JSON layout of the generative-recommendation literature: `<name>.inter.json`
    /// (`{"<user id>": [item id, ...]}`, each user's items oldest first) and optional
    /// `<name>.item.json` (`{"<item id>": {"title", "description", "brand", "categories"}}`), both
    /// whole (often pretty-printed) JSON documents; `<name>.index*.json` files are ignored. The format
    /// has no times: an interaction's timestamp is its position in the interactions file (0, 1, 2, ...).
    case lcRec = "lc-rec"
}
