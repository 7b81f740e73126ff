//! What the command line prints: lines for people, or the core's own views as JSON for
//! scripts (the same shapes the app's UI receives).

use std::io::Write;

use facets_app::compose::OutboxEntry;
use facets_app::inbox::InboxView;
use facets_app::privacy::PrivacyCenter;
use facets_app::profiles::Profile;
use facets_app::views::{PostView, SurfaceLinkView, SyncReport};
use facets_app::AppError;
use serde::Serialize;

/// One identity in `facets accounts`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentityLine {
    pub profile: Profile,
    pub active: bool,
    pub handles: Vec<String>,
    pub surfaces: Vec<SurfaceLinkView>,
}

pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    fn print(
        &self,
        json: &impl Serialize,
        text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), AppError> {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut lock, json).map_err(std::io::Error::other).and_then(|()| writeln!(lock))
        } else {
            // Servers' words pass through a filter: no escape sequence reaches the terminal.
            text(&mut Printable(&mut lock))
        };
        // A closed pipe (`facets timeline | head`) is the reader being done, not a failure.
        match written.and_then(|()| lock.flush()) {
            Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(AppError::Internal(format!("could not print: {error}")))
            }
            _ => Ok(()),
        }
    }

    /// A command's outcome: a sentence, or the JSON of what it did.
    pub fn done(&self, json: &serde_json::Value, sentence: &str) -> Result<(), AppError> {
        self.print(json, |out| writeln!(out, "{sentence}"))
    }

    pub fn timeline(&self, posts: &[PostView]) -> Result<(), AppError> {
        self.print(&posts, |out| {
            if posts.is_empty() {
                return writeln!(out, "Nothing cached yet. `facets sync` fetches what is new.");
            }
            for post in posts {
                writeln!(
                    out,
                    "{} · {} · {}",
                    post.author.display_name,
                    at(&post.author.handle),
                    when(&post.created_at)
                )?;
                if !post.spoiler_text.is_empty() {
                    writeln!(out, "  ⚠ {}", post.spoiler_text)?;
                }
                for line in facets_app::views::html_to_text(&post.content_html).lines() {
                    writeln!(out, "  {line}")?;
                }
                let mut facts = Vec::new();
                match post.media.len() {
                    0 => {}
                    1 => facts.push("1 picture".to_owned()),
                    n => facts.push(format!("{n} pictures")),
                }
                facts.push(format!("♥ {}", post.favourites_count));
                facts.push(format!("↩ {}", post.replies_count));
                facts.push(post.key.clone());
                writeln!(out, "  {}\n", facts.join("  "))?;
            }
            Ok(())
        })
    }

    pub fn inbox(&self, inbox: &InboxView) -> Result<(), AppError> {
        self.print(inbox, |out| {
            if inbox.groups.is_empty() {
                return writeln!(out, "No conversations cached yet. `facets sync` fetches them.");
            }
            for group in &inbox.groups {
                let who = match &group.person {
                    Some(person) => format!("{} ({})", person.display_name, at(&person.handle)),
                    None => group
                        .conversations
                        .first()
                        .map(|c| c.participants.iter().map(|p| at(&p.handle)).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default(),
                };
                let surfaces: Vec<&str> = group.surfaces.iter().map(|s| s.title()).collect();
                let unread = match group.unread_count {
                    0 => String::new(),
                    n => format!(" · {n} unread"),
                };
                let mark = if group.unread_count > 0 { "●" } else { " " };
                writeln!(out, "{mark} {who} · {}{unread}", surfaces.join(", "))?;
                let last = group.conversations.iter().filter_map(|c| c.last_message.as_ref()).next();
                if let Some(message) = last {
                    let from = if message.from_me { "You" } else { message.author_name.as_str() };
                    writeln!(out, "    {from}: {}", first_line(&message.text))?;
                }
            }
            Ok(())
        })
    }

    pub fn accounts(&self, identities: &[IdentityLine]) -> Result<(), AppError> {
        self.print(&identities, |out| {
            for identity in identities {
                let mark = if identity.active { "*" } else { " " };
                match &identity.profile {
                    Profile::Demo => writeln!(out, "{mark} demo      the demo's world, built into Facets")?,
                    Profile::Identity(id) => {
                        writeln!(out, "{mark} {:<9} {}", crate::short(id), identity.handles.join(", "))?
                    }
                }
                for link in &identity.surfaces {
                    let state = match link.sign_in {
                        facets_app::sign_ins::SignInState::Active => "signed in",
                        facets_app::sign_ins::SignInState::Refused => "refused by its server: `facets login` again",
                        facets_app::sign_ins::SignInState::SignedOut => "signed out",
                    };
                    writeln!(
                        out,
                        "            {:<7} {} on {} ({}), {state}",
                        link.surface.title(),
                        at(&link.handle),
                        link.server,
                        link.dialect
                    )?;
                }
            }
            Ok(())
        })
    }

    pub fn sync(&self, reports: &[SyncReport]) -> Result<(), AppError> {
        self.print(&reports, |out| {
            for report in reports {
                writeln!(
                    out,
                    "{} {}: {} new, {} updated",
                    report.surface.title(),
                    report.timeline.as_str(),
                    report.new_posts,
                    report.updated_posts
                )?;
            }
            Ok(())
        })
    }

    pub fn posted(&self, posts: &[(OutboxEntry, Option<String>)]) -> Result<(), AppError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Posted<'a> {
            #[serde(flatten)]
            entry: &'a OutboxEntry,
            url: &'a Option<String>,
        }
        let json: Vec<Posted> = posts.iter().map(|(entry, url)| Posted { entry, url }).collect();
        self.print(&json, |out| {
            for (entry, url) in posts {
                let surface = entry.surface.title();
                match (entry.state, url) {
                    ("sent", Some(url)) => writeln!(out, "Posted to {surface}: {url}")?,
                    ("sent", None) => writeln!(out, "Posted to {surface}.")?,
                    ("failed", _) => {
                        writeln!(out, "{surface} refused it: {}", entry.last_error.as_deref().unwrap_or(""))?
                    }
                    _ => writeln!(
                        out,
                        "Queued for {surface} ({}); Facets sends it the next time it runs, once, never twice.",
                        entry.last_error.as_deref().unwrap_or(entry.state)
                    )?,
                }
            }
            Ok(())
        })
    }

    pub fn privacy(&self, center: &PrivacyCenter) -> Result<(), AppError> {
        self.print(center, |out| {
            for surface in &center.surfaces {
                writeln!(out, "{} · {} on {}", surface.surface.title(), at(&surface.account.handle), surface.server)?;
                let yes_no = |on: bool| if on { "on" } else { "off" };
                writeln!(out, "  locked            {}", yes_no(surface.locked))?;
                writeln!(out, "  defaultAudience   {}", surface.default_audience)?;
                writeln!(out, "  sensitiveMedia    {}", yes_no(surface.sensitive_media))?;
                for (name, value) in [
                    ("discoverable", surface.discoverable),
                    ("hideCollections", surface.hide_collections),
                    ("indexable", surface.indexable),
                ] {
                    if let Some(value) = value {
                        writeln!(out, "  {name:<17} {}", yes_no(value))?;
                    }
                }
                writeln!(
                    out,
                    "  {} follow requests, {} blocked, {} muted",
                    surface.follow_requests.len(),
                    surface.blocked.len(),
                    surface.muted.len()
                )?;
                if let Some(checked) = &surface.checked_at {
                    writeln!(out, "  as the server said at {}", when(checked))?;
                }
            }
            let local = &center.local;
            let yes_no = |on: bool| if on { "on" } else { "off" };
            writeln!(out, "Facets on this computer")?;
            writeln!(out, "  stripPhotoMetadata    {}", yes_no(local.strip_photo_metadata))?;
            writeln!(out, "  shareVisualToFeed     {}", yes_no(local.share_visual_to_feed))?;
            writeln!(out, "  inboxAcrossSurfaces   {}", yes_no(local.inbox_across_surfaces))?;
            writeln!(out, "  activityShapesOther   {}", yes_no(local.activity_shapes_other))?;
            writeln!(out, "  activityPaused        {}", yes_no(local.activity_paused))
        })
    }
}

/// Drops control characters (escape sequences, bells, carriage returns) but newlines and tabs
/// from what is written: text from servers cannot drive the terminal.
struct Printable<'a>(&'a mut dyn Write);

impl Write for Printable<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        let kept: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
        self.0.write_all(kept.as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn at(handle: &str) -> String {
    if handle.starts_with('@') {
        handle.to_owned()
    } else {
        format!("@{handle}")
    }
}

/// `2026-11-26T10:02:33Z` as `2026-11-26 10:02`.
fn when(iso: &str) -> String {
    iso.get(..16).map(|s| s.replace('T', " ")).unwrap_or_else(|| iso.to_owned())
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_cannot_write_escape_sequences_to_the_terminal() {
        let mut written = Vec::new();
        write!(Printable(&mut written), "Mallory\u{1b}]0;owned\u{7}\r · line\n\tnext").unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), "Mallory]0;owned · line\n\tnext");
    }
}
