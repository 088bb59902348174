//! `wgrec itinerary`: rank the meeting's sessions for an official's interests, plan the exact
//! best conflict-free itinerary (`wgrec::plan`) and write it as Markdown, ICS, JSON or a table;
//! or, with `--profiles`, one Markdown and one ICS file per official plus an index page, all
//! written aside and renamed into place together.

use super::Context;
use crate::cli::{ItineraryArgs, PlanFormat};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::io::Write;
use std::path::Path;
use wgrec::app::{self, plan::OfficialItinerary, plan::PlanSpec};
use wgrec::model::Meeting;
use wgrec::plan::Itinerary;
use wgrec::profiles::{self, DaySpec};
use wgrec::render::{ics, itinerary as render};
use wgrec::{Error, atomic, clock};

/// Marks an output directory as written by wgrec, so a later run may replace it.
const MARKER: &str = ".wgrec-itineraries";

pub fn run(ctx: &Context, args: ItineraryArgs) -> anyhow::Result<u8> {
    if let Some(file) = &args.profiles {
        let out = args
            .out
            .as_deref()
            .ok_or_else(|| Error::input("--profiles needs --out DIR"))?;
        return run_profiles(ctx, &args, file, out);
    }
    // clap's `requires` does not fire here when --interest is given (it conflicts with
    // --profiles, which clap then treats as not needed), so refuse it by hand.
    if let Some(out) = &args.out {
        anyhow::bail!(Error::input(format!(
            "--out {} only applies with --profiles FILE; a single plan goes to stdout",
            out.display()
        )));
    }
    if args.interests.is_empty() {
        anyhow::bail!(Error::input(
            "give at least one --interest (or --profiles FILE --out DIR)"
        ));
    }
    let days = match (&args.from, &args.to, args.days.is_empty()) {
        (Some(f), Some(t), true) => {
            // Wider than the meeting is fine: `resolve_days` clamps it to the meeting's days.
            let (a, b) = (date(f, "--from")?, date(t, "--to")?);
            if a > b {
                anyhow::bail!(Error::input(format!("--to {b} is before --from {a}")));
            }
            DaySpec::Range(a, b)
        }
        (None, None, false) => DaySpec::List(
            args.days
                .iter()
                .map(|d| date(d, "--day"))
                .collect::<Result<_, _>>()?,
        ),
        (None, None, true) => DaySpec::All,
        _ => anyhow::bail!(Error::input("give --from and --to together, or --day")),
    };
    let tz = args.tz.as_deref().map(parse_tz).transpose()?;
    let must: Vec<String> = args.must.iter().map(|g| g.trim().to_lowercase()).collect();
    let exclude: Vec<String> = args
        .exclude_groups
        .iter()
        .map(|g| g.trim().to_lowercase())
        .collect();
    let spec = PlanSpec {
        name: args.name.as_deref(),
        interests: &args.interests,
        days,
        max_per_day: args.max_per_day,
        gap: args.gap,
        must: &must,
        exclude: &exclude,
        tz,
        include_possible: args.include_possible,
    };
    let data = ctx.open_data()?;
    let (it, meeting) = app::plan::plan(
        &data,
        args.meeting,
        &spec,
        args.vocabulary.clone(),
        |m| m,
        &|n| ctx.note(n),
    )?;
    warn_musts(ctx, &it, "");
    note_empty(ctx, &it, "");
    let view = view(&spec, &meeting, &it);
    let text = match args.format {
        PlanFormat::Markdown => render::markdown(&it, &view),
        PlanFormat::Json => render::json(&it, &view),
        PlanFormat::Table => render::table(&it, &view),
        PlanFormat::Ics => ics::itinerary(&it, spec.name, view.generated),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(wgrec::render::without_controls(&text).as_bytes())?;
    stdout.flush()?;
    Ok(wgrec::error::exit::OK)
}

fn date(s: &str, flag: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::input(format!("{flag} {s:?} is not a date like 2022-11-07")))
}

fn parse_tz(s: &str) -> Result<Tz, Error> {
    s.trim().parse().map_err(|_| {
        Error::input(format!(
            "--tz {s:?} is not an IANA time zone (e.g. Europe/London, America/New_York)"
        ))
    })
}

fn view<'a>(spec: &PlanSpec<'a>, meeting: &'a Meeting, it: &Itinerary) -> render::View<'a> {
    render::View {
        name: spec.name,
        interests: spec.interests,
        city: Some(meeting.city.as_str()),
        display_tz: spec.tz.unwrap_or(it.timezone),
        generated: clock::now(),
    }
}

/// Says on stderr when nothing matched on the chosen days, so an empty table is not mistaken
/// for a failure. `who` prefixes the message in a profiles run.
fn note_empty(ctx: &Context, it: &Itinerary, who: &str) {
    if ctx.quiet || it.slots().next().is_some() {
        return;
    }
    let days: Vec<String> = it
        .days
        .iter()
        .map(|d| d.date.format("%a %-d %b").to_string())
        .collect();
    eprintln!(
        "note: {who}no session matches the interests on {} (IETF {})",
        days.join(", "),
        it.meeting
    );
}

/// `who` prefixes each warning in a profiles run (`<file>:<line>: official "A. B": `).
fn warn_musts(ctx: &Context, it: &Itinerary, who: &str) {
    if ctx.quiet {
        return;
    }
    for m in it.must.iter().filter(|m| !m.included) {
        eprintln!(
            "warning: {who}{}",
            m.problem
                .as_deref()
                .unwrap_or("a must group is not in the plan")
        );
    }
}

fn run_profiles(
    ctx: &Context,
    args: &ItineraryArgs,
    file: &Path,
    out: &Path,
) -> anyhow::Result<u8> {
    // A file that cannot be read is bad input, as for `refresh --profiles` (one rule).
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::input(format!("cannot read profiles file {}: {e}", file.display())))?;
    let source = file.display().to_string();
    let profiles = profiles::parse(&text, &source)?;
    check_out_dir(out)?;
    let meeting = args.meeting.or(profiles.meeting);
    let data = ctx.open_data()?;
    let stamp = clock::now();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut entries = Vec::new();
    let mut meeting_number = meeting.unwrap_or_default();
    let planned = app::plan::plan_profiles(
        &data,
        &profiles,
        &source,
        meeting,
        args.vocabulary.clone(),
        &|n| ctx.note(n),
    )?;
    for OfficialItinerary {
        official: o,
        itinerary: it,
        meeting: m,
    } in planned
    {
        let spec = PlanSpec::of_official(o);
        meeting_number = it.meeting;
        warn_musts(
            ctx,
            &it,
            &format!("{source}:{}: official {:?}: ", o.line, o.name),
        );
        note_empty(ctx, &it, &format!("{}: ", o.name));
        let mut view = view(&spec, &m, &it);
        view.generated = stamp;
        let md = format!("{}.md", o.slug);
        let ical = format!("{}.ics", o.slug);
        entries.push(render::IndexEntry {
            name: o.name.clone(),
            markdown_file: md.clone(),
            ics_file: ical.clone(),
            sessions: it.slots().count(),
            days: it.days.len(),
            must_missing: it.must.iter().filter(|m| !m.included).count(),
        });
        files.push((md, render::markdown(&it, &view)));
        files.push((ical, ics::itinerary(&it, Some(&o.name), stamp)));
    }
    files.push((
        "index.md".to_string(),
        render::index(meeting_number, &entries, stamp),
    ));
    files.push((MARKER.to_string(), String::new()));
    write_dir(out, &files)?;
    let mut stdout = std::io::stdout().lock();
    for (name, _) in files.iter().filter(|(n, _)| n != MARKER) {
        writeln!(stdout, "{}", out.join(name).display())?;
    }
    Ok(wgrec::error::exit::OK)
}

/// The output directory may be new, empty, or one wgrec wrote before; nothing else is replaced.
fn check_out_dir(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        anyhow::bail!(Error::input(format!(
            "--out {} exists and is not a directory",
            out.display()
        )));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| Error::io(format!("reading {}", out.display()), e))?
        .next()
        .is_none();
    if !empty && !out.join(MARKER).is_file() {
        anyhow::bail!(Error::input(format!(
            "--out {} holds files wgrec did not write; choose a new or empty directory",
            out.display()
        )));
    }
    Ok(())
}

/// Writes every file into a fresh directory next to `out`, then swaps it into place
/// (`atomic::replace_dir`): a reader sees the old set or the new set, never a mix, and a failure
/// leaves `out` untouched.
fn write_dir(out: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    if out.file_name().and_then(|n| n.to_str()).is_none() {
        anyhow::bail!(Error::input(format!(
            "--out {} has no folder name",
            out.display()
        )));
    }
    let cleaned: Vec<(&str, String)> = files
        .iter()
        .map(|(name, body)| (name.as_str(), wgrec::render::without_controls(body)))
        .collect();
    atomic::replace_dir(out, cleaned.iter().map(|(n, b)| (*n, b.as_bytes())))
        .map_err(|e| Error::io(format!("writing itineraries to {}", out.display()), e).into())
}
