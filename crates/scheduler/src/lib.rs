//! Reminders and urging (DOMAIN.md §3): before a task's due day, on it and after it, the
//! people responsible hear about it in the application and by e-mail.
//!
//! A run has two halves, both safe to repeat and to run in several processes at once:
//! - [`Scheduler::plan`] asks the workflow rules which reminder is due today for each open
//!   task ([`workflow::reminder_due`]) and queues it: an in-app notice per person, unique by
//!   its key (exactly once, however many schedulers run), and an e-mail per person with an
//!   address, unique by the same key in the outbox;
//! - [`Scheduler::deliver`] leases due e-mail from the outbox, sends it over SMTP and marks it
//!   sent. A scheduler killed between sending and marking loses its lease when it runs out;
//!   another sends the message again with the same `Message-ID`, so delivery is at least once
//!   and a mail client shows the copy as one message.
//!
//! Recurring tasks ("báo cáo hằng tháng") get their report request once per period instead,
//! on the first working day the scheduler runs in it.
//!
//! Webhooks ([`Scheduler::run_webhooks`], module [`webhook`]) go the same way: the store plans
//! deliveries from the audit log, the scheduler leases them, POSTs them signed and marks them;
//! `nhiemvu serve` runs that every few seconds, apart from the reminders' slower loop.
//!
//! The clock is passed in (`at`), so `nhiemvu remind --at` and the tests can run any day.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod webhook;

use store::{NewMail, NewNotice, Person, Store, TaskToRemind, Timestamp};
use vn_calendar::Calendar;
use workflow::{PlannedReminder, Recipient, Settings};

/// Where e-mail goes out.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The relay.
    pub smtp: mail::SmtpConfig,
    /// The sender address (`nhacviec@quangngai.gov.vn`); its domain names the Message-IDs.
    pub from: String,
}

/// What one [`Scheduler::plan`] queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Planned {
    /// Reminders due today (one per task).
    pub reminders: usize,
    /// In-app notices added (already present ones are not counted).
    pub notices: usize,
    /// E-mails queued (already queued ones are not counted).
    pub mails: usize,
}

/// What one [`Scheduler::deliver`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Accepted by the SMTP server and marked sent.
    pub sent: usize,
    /// Failed; queued again for later, or given up.
    pub failed: usize,
    /// Sent, but another scheduler had taken the message over meanwhile.
    pub lease_lost: usize,
}

/// What one [`Scheduler::run_webhooks`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookRun {
    /// Deliveries planned from the audit log.
    pub planned: usize,
    /// Answered with a 2xx and marked sent.
    pub sent: usize,
    /// Failed; queued again for later, or given up.
    pub failed: usize,
    /// Sent or failed, but another scheduler had taken the delivery over meanwhile.
    pub lease_lost: usize,
}

/// Errors of a run.
#[derive(Debug)]
pub enum Error {
    /// The store refused or failed.
    Store(store::Error),
    /// A date outside the calendar.
    Calendar(vn_calendar::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Store(e) => e.fmt(f),
            Error::Calendar(e) => write!(f, "lịch làm việc: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<store::Error> for Error {
    fn from(e: store::Error) -> Error {
        Error::Store(e)
    }
}

impl From<vn_calendar::Error> for Error {
    fn from(e: vn_calendar::Error) -> Error {
        Error::Calendar(e)
    }
}

/// The reminder scheduler of one process.
pub struct Scheduler {
    store: Store,
    calendar: Calendar,
    settings: Settings,
    mail: Option<MailSettings>,
    owner: String,
    lease: Duration,
}

impl Scheduler {
    /// A scheduler named `owner` (unique per process: host and pid) over `store`. Without
    /// `mail`, reminders are in-app only and nothing is queued for e-mail.
    pub fn new(
        store: Store,
        calendar: Calendar,
        settings: Settings,
        mail: Option<MailSettings>,
        owner: impl Into<String>,
    ) -> Scheduler {
        Scheduler {
            store,
            calendar,
            settings,
            mail,
            owner: owner.into(),
            lease: Duration::from_secs(120),
        }
    }

    /// How long a leased e-mail stays this scheduler's before another may send it again.
    /// Longer than the SMTP timeouts, so a slow send is not duplicated needlessly.
    pub fn with_lease(mut self, lease: Duration) -> Scheduler {
        self.lease = lease;
        self
    }

    /// Plans and delivers.
    pub async fn run_once(&self, at: Timestamp) -> Result<(Planned, Delivered), Error> {
        let planned = self.plan(at).await?;
        let delivered = self.deliver(at).await?;
        Ok((planned, delivered))
    }

    /// Queues the reminders due on `at`'s day (in Vietnam).
    pub async fn plan(&self, at: Timestamp) -> Result<Planned, Error> {
        let today = at.date_in_vietnam();
        let mut planned = Planned::default();
        let working_day = self.calendar.is_working_day(today)?;
        for task in self.store.tasks_to_remind().await? {
            let message = match (task.due_on, &task.every) {
                (Some(due_on), _) => {
                    let Some(reminder) = workflow::reminder_due(
                        &self.calendar,
                        task.status,
                        due_on,
                        today,
                        &self.settings.reminders,
                    )?
                    else {
                        continue;
                    };
                    let (title, body) = words(&task, &reminder);
                    let to = recipients(&task, reminder.recipients);
                    (
                        reminder.key(task.task),
                        reminder_kind(&reminder),
                        title,
                        body,
                        to,
                    )
                }
                // A recurring task asks for its report once per period, on a working day.
                (None, Some(every)) if working_day && today >= task.assigned_on => {
                    let Some((period, label)) = period_of(every, today) else {
                        continue;
                    };
                    let title = format!(
                        "Đề nghị báo cáo {label}: nhiệm vụ {} tại văn bản {}",
                        task.outline_id, task.document
                    );
                    let body = format!(
                        "Đề nghị báo cáo kết quả thực hiện nhiệm vụ định kỳ {label}.\n\nVăn bản: {}\nNhiệm vụ {}: {}\nCơ quan chủ trì: {}\n",
                        task.document,
                        task.outline_id,
                        excerpt(&task.text),
                        task.leads.join("; "),
                    );
                    let to = recipients(&task, &[Recipient::Assignee]);
                    (
                        format!("task:{}:report:{period}", task.task),
                        "report_request",
                        title,
                        body,
                        to,
                    )
                }
                _ => continue,
            };
            let (key, kind, title, body, to) = message;
            planned.reminders += 1;
            for person in to {
                let notice = NewNotice {
                    user: person.id,
                    task: Some(task.task),
                    kind: kind.to_owned(),
                    dedupe_key: key.clone(),
                    title: title.clone(),
                    body: body.clone(),
                };
                if self.store.enqueue_notice(&notice, at).await?.is_some() {
                    planned.notices += 1;
                }
                let (Some(mail), Some(address)) = (&self.mail, &person.email) else {
                    continue;
                };
                let new = NewMail {
                    dedupe_key: format!("{key}:user:{}", person.id),
                    recipient: address.clone(),
                    subject: title.clone(),
                    body: format!("Kính gửi {},\n\n{body}", person.full_name),
                    not_before: at,
                };
                if self
                    .store
                    .enqueue_mail(&new, domain(&mail.from), at)
                    .await?
                    .new
                {
                    planned.mails += 1;
                }
            }
        }
        Ok(planned)
    }

    /// Sends the e-mail due at `at`, a batch at a time, until none is left to lease.
    pub async fn deliver(&self, at: Timestamp) -> Result<Delivered, Error> {
        let mut delivered = Delivered::default();
        let Some(settings) = &self.mail else {
            return Ok(delivered);
        };
        loop {
            let batch = self
                .store
                .lease_mail(&self.owner, at, self.lease, 20)
                .await?;
            if batch.is_empty() {
                return Ok(delivered);
            }
            for leased in batch {
                let message = mail::Message {
                    from: settings.from.clone(),
                    to: vec![leased.recipient.clone()],
                    subject: leased.subject.clone(),
                    body_text: leased.body.clone(),
                    message_id: leased.message_id.clone(),
                    date: system_time(leased.created_at),
                };
                let smtp = settings.smtp.clone();
                let sent = tokio::task::spawn_blocking(move || mail::send(&smtp, &message))
                    .await
                    .unwrap_or_else(|e| Err(mail::Error::Io(std::io::Error::other(e.to_string()))));
                match sent {
                    Ok(()) => match self
                        .store
                        .mark_mail_sent(leased.id, &self.owner, Timestamp::now().max(at))
                        .await
                    {
                        Ok(()) => delivered.sent += 1,
                        Err(store::Error::LeaseLost { .. }) => delivered.lease_lost += 1,
                        Err(e) => return Err(e.into()),
                    },
                    Err(e) => {
                        let retry = if e.is_permanent() {
                            None
                        } else {
                            store::mail_retry_at(leased.attempts, at)
                        };
                        self.store
                            .mark_mail_failed(leased.id, &self.owner, &e.to_string(), retry, at)
                            .await?;
                        delivered.failed += 1;
                    }
                }
            }
        }
    }
}

impl Scheduler {
    /// Plans webhook deliveries from the changes recorded up to `at` and sends those due,
    /// a batch at a time, until none is left to lease.
    pub async fn run_webhooks(&self, at: Timestamp) -> Result<WebhookRun, Error> {
        let mut run = WebhookRun {
            planned: self.store.plan_webhook_deliveries(at).await?,
            ..WebhookRun::default()
        };
        loop {
            let batch = self
                .store
                .lease_webhook_deliveries(&self.owner, at, self.lease, 20)
                .await?;
            if batch.is_empty() {
                return Ok(run);
            }
            for d in batch {
                let signature = webhook::signature(&d.secret, d.payload.as_bytes());
                let (url, delivery, event, body) = (
                    d.url.clone(),
                    d.delivery_id.clone(),
                    d.event.clone(),
                    d.payload.clone(),
                );
                let posted = tokio::task::spawn_blocking(move || {
                    webhook::post(
                        &url,
                        &[
                            ("X-Nhiemvu-Signature", &signature),
                            ("X-Nhiemvu-Delivery", &delivery),
                            ("X-Nhiemvu-Event", &event),
                        ],
                        body.as_bytes(),
                        webhook::Timeouts::default(),
                    )
                })
                .await
                .unwrap_or_else(|e| Err(webhook::PostError::Io(e.to_string())));
                let marked = match posted {
                    Ok(status) => {
                        let marked = self
                            .store
                            .mark_webhook_sent(d.id, &self.owner, status, Timestamp::now().max(at))
                            .await;
                        if marked.is_ok() {
                            run.sent += 1;
                        }
                        marked
                    }
                    Err(e) => {
                        let status = match e {
                            webhook::PostError::Status(s) => Some(s),
                            _ => None,
                        };
                        // A URL that cannot be sent to will not become sendable; anything
                        // else (no answer, any non-2xx) may pass, and is retried.
                        let retry = match e {
                            webhook::PostError::Url(_) => None,
                            _ => store::webhook_retry_at(d.attempts, at),
                        };
                        let marked = self
                            .store
                            .mark_webhook_failed(
                                d.id,
                                &self.owner,
                                status,
                                &e.to_string(),
                                retry,
                                at,
                            )
                            .await;
                        if marked.is_ok() {
                            run.failed += 1;
                        }
                        marked
                    }
                };
                match marked {
                    Ok(()) => {}
                    Err(store::Error::LeaseLost { .. }) => run.lease_lost += 1,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
}

/// Who hears of `reminder`: the officer the task was handed to (or, before any hand-over,
/// the heads of the lead agency, who must hand it over), then heads and monitors as the
/// reminder escalates.
fn recipients<'a>(task: &'a TaskToRemind, whom: &[Recipient]) -> Vec<&'a Person> {
    let mut out: Vec<&Person> = Vec::new();
    for r in whom {
        let people: Vec<&Person> = match r {
            Recipient::Assignee => match &task.officer {
                Some(officer) => vec![officer],
                None => task.heads.iter().collect(),
            },
            Recipient::AgencyHead => task.heads.iter().collect(),
            Recipient::Monitor => task.monitors.iter().collect(),
        };
        for p in people {
            if !out.iter().any(|o| o.id == p.id) {
                out.push(p);
            }
        }
    }
    out
}

fn reminder_kind(reminder: &PlannedReminder) -> &'static str {
    match reminder.kind {
        workflow::ReminderKind::Before { .. } => "due_soon",
        workflow::ReminderKind::OnDay => "due_today",
        workflow::ReminderKind::Overdue { .. } => "overdue",
    }
}

/// The title and text of a reminder, in the words of an urging notice.
fn words(task: &TaskToRemind, reminder: &PlannedReminder) -> (String, String) {
    let title = format!(
        "{}: nhiệm vụ {} tại văn bản {}",
        reminder.kind.label_vi(),
        task.outline_id,
        task.document
    );
    let text = excerpt(&task.text);
    let body = format!(
        "{}.\n\nVăn bản: {}\nNhiệm vụ {}: {}\nCơ quan chủ trì: {}\nThời hạn: {}\n\nĐề nghị cập nhật tiến độ, báo cáo kết quả thực hiện trên hệ thống nhiemvu.\n",
        reminder.kind.label_vi(),
        task.document,
        task.outline_id,
        text,
        task.leads.join("; "),
        vn_date(reminder.due_day),
    );
    (title, body)
}

/// The start of a long instruction, for a notice.
fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(600).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The period of a recurring task that `day` falls in: its key and its name in a request
/// ("2023-01", "tháng 01/2023"; "2023-Q1", "quý I/2023"; "2023", "năm 2023").
fn period_of(every: &str, day: vn_calendar::Date) -> Option<(String, String)> {
    let (y, m, _) = day.ymd();
    match every {
        "month" => Some((format!("{y}-{m:02}"), format!("tháng {m:02}/{y}"))),
        "quarter" => {
            let q = (m - 1) / 3;
            Some((
                format!("{y}-Q{}", q + 1),
                format!("quý {}/{y}", ["I", "II", "III", "IV"][q as usize]),
            ))
        }
        "year" => Some((y.to_string(), format!("năm {y}"))),
        _ => None,
    }
}

fn vn_date(d: vn_calendar::Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day:02}/{m:02}/{y}")
}

fn domain(from: &str) -> &str {
    from.rsplit_once('@').map_or(from, |(_, d)| d)
}

fn system_time(t: Timestamp) -> SystemTime {
    match u64::try_from(t.micros()) {
        Ok(us) => UNIX_EPOCH + Duration::from_micros(us),
        Err(_) => UNIX_EPOCH,
    }
}
