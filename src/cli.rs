//! Command-line surface: clap definitions only. Parsing happens here; the work happens in the
//! pipeline modules, reached through `crate::cmd`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "wgrec",
    version,
    about = "Tells you which IETF working-group sessions to attend, and why",
    long_about = "wgrec fetches an IETF meeting agenda and the groups' charters from the \
datatracker, indexes them, and recommends the sessions that match stated interests, with the \
reasons. It plans conflict-free itineraries and writes them as Markdown and calendar files.\n\n\
With no snapshot in the home directory, wgrec uses the IETF 115 meeting bundled inside it, so \
`wgrec recommend --interest privacy` works offline on a fresh machine.",
    after_help = "Exit codes: 0 success (refresh: nothing changed), 1 failure, 2 bad input, \
3 partial failure, 4 another refresh is running, 10 refresh applied changes."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Directory holding the snapshot (`<home>/snapshot`) and the index (`<home>/index`)
    /// [default: the current directory]. One named here must exist, except for fetch and
    /// refresh, which create it
    #[arg(long, global = true, env = "WGREC_HOME")]
    pub home: Option<PathBuf>,
    /// Print nothing on stderr except errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log what happens on stderr (-v info, -vv debug, -vvv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download a meeting's agenda, group pages and session agendas into the snapshot
    Fetch(FetchArgs),
    /// Build the search index from the snapshot (other commands do this when needed); with no
    /// snapshot, the bundled meeting's index in your cache folder
    Index(IndexArgs),
    /// Rank a meeting's sessions for stated interests, with the reasons
    Recommend(RecommendArgs),
    /// Free-text search over sessions, groups, charters and agendas
    Search(SearchArgs),
    /// Score recommendations against relevance judgements (Recall@k, nDCG@k, MRR)
    Eval(EvalArgs),
    /// Plan a conflict-free, day-by-day itinerary for one official or a profiles file
    Itinerary(ItineraryArgs),
    /// Fetch what changed, rebuild the index aside, swap it in and report (for cron)
    Refresh(RefreshArgs),
    /// The meeting's policy guide: every policy topic with its groups, sessions and what is new
    Guide(GuideArgs),
    /// Serve the meeting as web pages, a JSON API and calendar feeds (follows each refresh)
    Serve(ServeArgs),
}

#[derive(Debug, Args, Clone)]
pub struct NetArgs {
    /// Datatracker base URL; absolute datatracker links in the data are mapped onto it
    #[arg(long, default_value = wgrec::fetch::DEFAULT_BASE_URL, env = "WGREC_BASE_URL")]
    pub base_url: String,
    /// Requests in flight at once
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub concurrency: u32,
    /// Requests per second at most
    #[arg(long, default_value_t = 5.0)]
    pub rate: f64,
    /// Per-request timeout in seconds
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Largest response body accepted, in bytes
    #[arg(long, default_value_t = 20 * 1024 * 1024)]
    pub max_body: u64,
    /// Attempts per URL before giving up (retries on 429, 5xx, 408, timeouts and dropped
    /// connections)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
    /// Time limit for the whole run, in seconds (default 25 minutes, inside the documented
    /// systemd TimeoutStartSec=30min); past it the run stops and keeps the stored copies
    #[arg(long, default_value_t = wgrec::fetch::DEFAULT_MAX_TIME_SECS,
          value_parser = clap::value_parser!(u64).range(1..=7 * 24 * 3600))]
    pub max_time: u64,
    /// Store the agenda even when its schedule shrinks by more than half, or to zero (such an
    /// agenda is otherwise held back as a likely broken answer)
    #[arg(long)]
    pub accept_shrink: bool,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Meeting number, e.g. 121
    #[arg(long)]
    pub meeting: u32,
    #[command(flatten)]
    pub net: NetArgs,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Rebuild even when the index is up to date
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args, Clone)]
pub struct RankArgs {
    /// Meeting number (default: the newest meeting in the snapshot)
    #[arg(long)]
    pub meeting: Option<u32>,
    /// How many groups to list
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Extra vocabulary file (TOML, same format as vocabulary/policy.toml) that adds or extends topics
    #[arg(long)]
    pub vocabulary: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// An interest in your own words, e.g. "routing security"; repeat for several
    #[arg(long = "interest", required = true)]
    pub interests: Vec<String>,
    #[command(flatten)]
    pub rank: RankArgs,
    /// Only sessions on this date (YYYY-MM-DD, meeting local time); repeatable
    #[arg(long = "day")]
    pub days: Vec<String>,
    /// Only groups in this area (acronym, e.g. sec); repeatable
    #[arg(long = "area")]
    pub areas: Vec<String>,
    /// Leave out this group (acronym); repeatable
    #[arg(long = "exclude-group")]
    pub exclude_groups: Vec<String>,
    /// Leave out BoF sessions
    #[arg(long)]
    pub no_bofs: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for; phrases ("...") and AND/OR/NOT work, bad syntax is read leniently
    pub text: String,
    #[command(flatten)]
    pub rank: RankArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Judgements file shaped like shared/eval/dev-qrels.json
    #[arg(long)]
    pub qrels: PathBuf,
    /// Graded judgements shaped like shared/eval/dev-precision.json: also report the precision
    /// of the strong tier (P@5, R2@10, graded nDCG@10, false@5)
    #[arg(long)]
    pub precision: Option<PathBuf>,
    /// Cut-off rank
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Extra vocabulary file (TOML, same format as vocabulary/policy.toml) used for the wgrec column
    #[arg(long)]
    pub vocabulary: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct ItineraryArgs {
    /// Meeting number (default: the newest meeting in the snapshot)
    #[arg(long)]
    pub meeting: Option<u32>,
    /// An interest in your own words; repeatable
    #[arg(long = "interest")]
    pub interests: Vec<String>,
    /// First program day (YYYY-MM-DD, meeting local time); give --to with it. A range wider
    /// than the meeting is cut to the meeting's days
    #[arg(long, requires = "to", conflicts_with = "days")]
    pub from: Option<String>,
    /// Last program day (inclusive); give --from with it
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// A program day; repeatable
    #[arg(long = "day")]
    pub days: Vec<String>,
    /// At most this many sessions per day (1-20, as in profiles files)
    #[arg(long, default_value_t = wgrec::profiles::DEFAULT_MAX_PER_DAY,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
              .range(1..=wgrec::profiles::MAX_PER_DAY_LIMIT as u64))]
    pub max_per_day: usize,
    /// Fill free slots with possible matches too; by default only strong matches are planned
    /// and possible ones are offered as alternatives and in an "if time allows" list
    #[arg(long)]
    pub include_possible: bool,
    /// Group that must be in the plan when possible; repeatable
    #[arg(long = "must")]
    pub must: Vec<String>,
    /// Group to leave out; repeatable
    #[arg(long = "exclude-group")]
    pub exclude_groups: Vec<String>,
    /// Minutes needed between two sessions, walking between rooms (0-240, as in profiles files)
    #[arg(long, default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(wgrec::profiles::GAP_LIMIT)))]
    pub gap: u32,
    /// The official's name, for the title
    #[arg(long)]
    pub name: Option<String>,
    /// Show times in this IANA zone instead of the meeting's
    #[arg(long)]
    pub tz: Option<String>,
    /// Profiles file (TOML) of officials; writes a Markdown plan and an ICS calendar per
    /// official, plus index.md, into --out (always both formats: --format does not apply)
    #[arg(long, requires = "out", conflicts_with = "interests")]
    pub profiles: Option<PathBuf>,
    /// Output directory for --profiles (only with --profiles)
    #[arg(long, requires = "profiles")]
    pub out: Option<PathBuf>,
    /// Extra vocabulary file (TOML, same format as vocabulary/policy.toml) that adds or extends
    /// topics
    #[arg(long)]
    pub vocabulary: Option<PathBuf>,
    /// Output format on stdout (not with --profiles, which writes Markdown and ICS files)
    #[arg(long, value_enum, default_value_t = PlanFormat::Markdown, conflicts_with = "profiles")]
    pub format: PlanFormat,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 nothing changed (nothing rewritten), 10 changes applied, \
3 partial failure (some downloads failed; the rest applied), 1 failure (the previous data stays \
in service), 4 another refresh holds the lock, 2 bad input."
)]
// One of --meeting / --upcoming, named together in the error when neither is given.
#[command(group(clap::ArgGroup::new("target").required(true).args(["meeting", "upcoming"])))]
pub struct RefreshArgs {
    /// Meeting to refresh
    #[arg(long)]
    pub meeting: Option<u32>,
    /// Refresh the next IETF meeting, found from the datatracker's meeting list
    #[arg(long)]
    pub upcoming: bool,
    /// Profiles file: report which officials' itineraries the changes touch
    #[arg(long)]
    pub profiles: Option<PathBuf>,
    /// Write the meeting's policy guide to FILE after a run that changed something (or when FILE
    /// does not exist yet), atomically; `.html` gives HTML, `.json` JSON, anything else Markdown
    #[arg(long, value_name = "FILE")]
    pub guide: Option<PathBuf>,
    #[command(flatten)]
    pub net: NetArgs,
    /// Report format: text (for mail) or json (for scripts)
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// Meeting number (default: the newest meeting in the snapshot)
    #[arg(long)]
    pub meeting: Option<u32>,
    /// An earlier meeting in the snapshot to compare with: groups gone since, topics that
    /// gained or lost groups
    #[arg(long)]
    pub since: Option<u32>,
    /// Markdown (to send), HTML (one self-contained file, prints well) or JSON (for tools)
    #[arg(long, value_enum, default_value_t = GuideFormat::Markdown)]
    pub format: GuideFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuideFormat {
    Markdown,
    Html,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The server reads the home as the other commands do (its snapshot, else the \
bundled meeting) and serves each new index that `wgrec refresh` swaps in without a restart. \
SIGTERM or Ctrl-C stops it after the requests in flight."
)]
pub struct ServeArgs {
    /// Address and port to listen on (loopback by default; put a reverse proxy in front)
    #[arg(long, default_value = "127.0.0.1:8080", env = "WGREC_LISTEN")]
    pub listen: std::net::SocketAddr,
    /// URL prefix when a reverse proxy serves wgrec under a path, e.g. /wgrec
    #[arg(long, default_value = "", env = "WGREC_BASE_PATH")]
    pub base_path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Markdown,
    Ics,
    Json,
    Table,
}
