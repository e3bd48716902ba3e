//! A synthetic province for benchmarks (`nhiemvu bench generate`): five years of the
//! provincial People's Committee's directives with their tasks, written into an empty store as
//! if the province had tracked them in nhiemvu from the start.
//!
//! What it writes, and why it can stand in for real data:
//! - documents of the four kinds that assign work (công văn, kế hoạch, quyết định, chỉ thị),
//!   issued on working days of 2021–2025, numbered per year and symbol ("123/UBND-KTTH"), with
//!   their text, the original (the text as a `.txt` file), a `nhiemvu.document/1` parse result
//!   and a few citations (laws and decrees, and earlier generated documents, linked);
//! - about nine tasks per document, skewed (a công văn has a few, a kế hoạch dozens), each led
//!   by one agency of the seeded directory valid on the day of issue (or a group addressee)
//!   with up to three supporting ones, about a topic whose usual departments lead it, so a few
//!   agencies carry most of the work as in a real province; some tasks implement a task of an
//!   earlier document they cite (the cascade);
//! - deadlines as the parser records them (a date, a period's last day, recurring, on request,
//!   none) and a few later changes;
//! - a status history made only of changes [`workflow::apply`] allows, dated on the days they
//!   happened (the rows [`Store::transition`] records, without a user): old tasks mostly
//!   completed on time or late, some still open past their deadline, recurring ones ongoing, a
//!   few refused, suspended or cancelled;
//! - progress reports on a share of the tasks, and the audit rows each of those writes would
//!   have written (`import`, `create`, each status change, `add_deadline`, reports), dated when
//!   it happened;
//! - the search index, folded here exactly as `search.rs` folds a row, so no search has to
//!   fold a million marked rows first.
//!
//! Rows are written with their ids (the store is empty of documents, and every table written
//! here hangs off documents), many to a statement, in one transaction per batch of
//! [`BATCH_TASKS`] tasks; the next batch is drawn on a second thread while one is written.
//! PostgreSQL's identity sequences are moved past the rows in the same transaction, as a
//! restore does, and its statistics are gathered at the end. Everything is drawn from one seed
//! with a small counter-based generator (splitmix64): the same seed, size and moment give the
//! same province on either database, whatever the batches. Generation expects no other writer
//! meanwhile, and stops if it finds one.

use std::collections::HashMap;

use serde_json::json;
use vn_calendar::{Calendar, Date};
use workflow::{Action, ActionKind, Role, Roles, Status, Who};

use crate::Store;
use crate::db::{Backend, Tx, Value, q};
use crate::directory::{AgencyRef, successors_applied};
use crate::error::{Error, Result};
use crate::search::words;
use crate::time::Timestamp;
use crate::types::{AgencyId, ProgressStatus, Sha256};

/// Tasks written per transaction by default: large enough that statements and commits cost
/// little per row, small enough that a batch's rows take a few tens of megabytes.
pub const BATCH_TASKS: u64 = 20_000;

/// What [`Store::generate`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateSpec {
    /// How many tasks: documents are drawn until they assign exactly this many.
    pub tasks: u64,
    /// The seed: the same seed, size and moment give the same province.
    pub seed: u64,
    /// The moment the province stands at: every change happened on an earlier day (Vietnam
    /// time), and documents were issued until two months before it (2025 at the latest).
    pub now: Timestamp,
    /// Tasks written per transaction ([`BATCH_TASKS`] by default); the batches do not change
    /// what is written.
    pub batch: u64,
}

impl GenerateSpec {
    /// `tasks` tasks from `seed`, standing now.
    pub fn new(tasks: u64, seed: u64) -> GenerateSpec {
        GenerateSpec {
            tasks,
            seed,
            now: Timestamp::now(),
            batch: BATCH_TASKS,
        }
    }
}

/// What [`Store::generate`] wrote (so far, when passed to the progress callback).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Generated {
    /// Documents.
    pub documents: u64,
    /// Tasks.
    pub tasks: u64,
    /// Tasks by their current progress status, every status listed.
    pub by_status: Vec<(ProgressStatus, u64)>,
    /// Lead and support rows.
    pub assignments: u64,
    /// Deadline rows (the document's, and later changes).
    pub deadlines: u64,
    /// Status changes.
    pub status_changes: u64,
    /// Progress reports.
    pub progress_reports: u64,
    /// Citations.
    pub references: u64,
    /// Audit rows.
    pub audit_rows: u64,
    /// The agency leading or supporting the most tasks, with their number: the one whose
    /// officers have the longest lists.
    pub busiest_agency: Option<(AgencyRef, u64)>,
}

impl Generated {
    fn empty() -> Generated {
        Generated {
            documents: 0,
            tasks: 0,
            by_status: ProgressStatus::ALL.iter().map(|s| (*s, 0)).collect(),
            assignments: 0,
            deadlines: 0,
            status_changes: 0,
            progress_reports: 0,
            references: 0,
            audit_rows: 0,
            busiest_agency: None,
        }
    }

    /// How many tasks are in `status` now.
    pub fn count(&self, status: ProgressStatus) -> u64 {
        self.by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }
}

impl Store {
    /// Writes a synthetic province of `spec.tasks` tasks (see the module notes) into a store
    /// that holds no document yet; `progress` hears the running totals after every batch.
    /// A store with documents is refused ([`Error::Refused`], code `store_not_empty`) before
    /// anything is written. A failure part-way leaves the batches already committed.
    pub async fn generate(
        &self,
        spec: &GenerateSpec,
        progress: &mut (dyn FnMut(&Generated) + Send),
    ) -> Result<Generated> {
        let today = spec.now.date_in_vietnam();
        let first = date(2021, 1, 4);
        let last = date(2025, 12, 31).min(today.add_days(-60));
        if last < first || spec.tasks == 0 {
            return Err(Error::Invalid {
                what: "quy mô dữ liệu mẫu (số nhiệm vụ > 0, thời điểm sau tháng 3/2021)",
                value: format!("{} nhiệm vụ, {}", spec.tasks, spec.now),
            });
        }
        let mut g = Generator::new(spec, today);
        g.plan(first, last);
        let mut tx = self.pool.write().await?;
        refuse_unless_empty(&mut tx).await?;
        g.load_directory(&mut tx).await?;
        g.ids = Ids::read(&mut tx).await?;
        let mut batch = g.fill()?;
        loop {
            // The next batch is drawn on another thread while this one is written.
            let next = (g.next_doc < g.plan.len()).then(|| {
                std::thread::spawn(move || {
                    let batch = g.fill();
                    (g, batch)
                })
            });
            let totals = batch.totals.clone();
            batch.write(&mut tx, self.backend()).await?;
            tx.commit().await?;
            progress(&totals);
            let Some(next) = next else {
                let mut tx = self.pool.write().await?;
                // The last batches' deltas folded, so the first counts read the sums alone.
                crate::tally::fold(&mut tx).await?;
                if self.backend() == Backend::Postgres {
                    // Statistics for the planner now rather than at autovacuum's next visit:
                    // without them it walks whole tables for the lists (bench/RESULTS.md).
                    tx.execute(q(format!("ANALYZE {}", Ids::TABLES.join(", "))))
                        .await?;
                }
                tx.commit().await?;
                return Ok(totals);
            };
            let (drawn, next) = next.join().map_err(|_| Error::Invalid {
                what: "luồng sinh dữ liệu mẫu",
                value: "dừng bất thường".to_owned(),
            })?;
            (g, batch) = (drawn, next?);
            tx = self.pool.write().await?;
            if Ids::read(&mut tx).await? != batch.first {
                return Err(Error::Refused {
                    code: "concurrent_writer",
                    message: "Có tiến trình khác ghi vào cơ sở dữ liệu trong lúc sinh dữ liệu mẫu; đã dừng (các đợt đã ghi vẫn còn)".to_owned(),
                });
            }
        }
    }
}

async fn refuse_unless_empty(tx: &mut Tx) -> Result<()> {
    let documents = tx.one(q("SELECT COUNT(*) FROM document")).await?.int(0)?;
    if documents > 0 {
        return Err(Error::Refused {
            code: "store_not_empty",
            message: format!(
                "Cơ sở dữ liệu đã có {documents} văn bản; chỉ sinh dữ liệu mẫu vào cơ sở dữ liệu chưa có văn bản nào (hãy dùng một tệp hoặc cơ sở dữ liệu mới)"
            ),
        });
    }
    Ok(())
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap_or(Date::MIN)
}

/// splitmix64: a counter through a bijective mixer. Small, fast, and good enough for sampling.
struct Rng(u64);

impl Rng {
    /// The generator of item `n` of stream `seed`: items do not depend on each other.
    fn derived(seed: u64, n: u64) -> Rng {
        let mut r = Rng(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i32
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed with this mean: the long tail of document sizes.
    fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with these weights (not all zero).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        weights.len() - 1
    }
}

/// A kind of document: what its code, subject and size look like.
struct Kind {
    code: &'static str,
    title: &'static str,
    /// Share of documents, in percent.
    share: u32,
    /// Fewest tasks, and the mean of the exponential tail above that.
    tasks: (u32, f64),
}

const KINDS: &[Kind] = &[
    Kind {
        code: "cong_van",
        title: "Công văn",
        share: 55,
        tasks: (1, 3.0),
    },
    Kind {
        code: "ke_hoach",
        title: "Kế hoạch",
        share: 20,
        tasks: (8, 15.0),
    },
    Kind {
        code: "quyet_dinh",
        title: "Quyết định",
        share: 15,
        tasks: (3, 8.0),
    },
    Kind {
        code: "chi_thi",
        title: "Chỉ thị",
        share: 10,
        tasks: (4, 6.0),
    },
];

/// Symbols of the Committee's official letters, by the Office's division that drafts them.
const LETTER_SYMBOLS: &[&str] = &[
    "UBND-KTTH",
    "UBND-KTTH",
    "UBND-KGVX",
    "UBND-NC",
    "UBND-CNXD",
    "UBND-NNTN",
];

/// A field of work: its subject, and the agencies that usually lead and support its tasks
/// (the first valid on the day of issue lead most often).
struct Topic {
    subject: &'static str,
    weight: u32,
    years: (i32, i32),
    leads: &'static [&'static str],
    supports: &'static [&'static str],
}

const DISTRICTS: &str = "Ủy ban nhân dân các huyện, thị xã, thành phố";
const COMMUNES: &str = "Ủy ban nhân dân các xã, phường";
const DEPARTMENTS: &str = "Các sở, ban, ngành";
const OFFICE: &str = "Văn phòng Ủy ban nhân dân tỉnh";
const ISSUER: &str = "Ủy ban nhân dân tỉnh Quảng Ngãi";

const TOPICS: &[Topic] = &[
    Topic {
        subject: "giải ngân kế hoạch vốn đầu tư công",
        weight: 14,
        years: (2021, 2025),
        leads: &["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
        supports: &["Kho bạc Nhà nước tỉnh", "Sở Xây dựng", DISTRICTS, COMMUNES],
    },
    Topic {
        subject: "quyết toán vốn đầu tư dự án hoàn thành",
        weight: 5,
        years: (2021, 2025),
        leads: &["Sở Tài chính"],
        supports: &["Sở Kế hoạch và Đầu tư", "Kho bạc Nhà nước tỉnh"],
    },
    Topic {
        subject: "thu ngân sách nhà nước và chống thất thu thuế",
        weight: 6,
        years: (2021, 2025),
        leads: &["Cục Thuế tỉnh", "Thuế tỉnh", "Sở Tài chính"],
        supports: &["Sở Tài chính", "Kho bạc Nhà nước tỉnh", DISTRICTS],
    },
    Topic {
        subject: "phòng, chống dịch COVID-19",
        weight: 10,
        years: (2021, 2022),
        leads: &["Sở Y tế", "Công an tỉnh"],
        supports: &[
            "Sở Giáo dục và Đào tạo",
            "Sở Lao động - Thương binh và Xã hội",
            DISTRICTS,
        ],
    },
    Topic {
        subject: "chuyển đổi số và phát triển chính quyền số",
        weight: 6,
        years: (2021, 2025),
        leads: &["Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"],
        supports: &["Sở Nội vụ", OFFICE, DEPARTMENTS],
    },
    Topic {
        subject: "phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử (Đề án 06)",
        weight: 4,
        years: (2022, 2025),
        leads: &["Công an tỉnh"],
        supports: &["Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Y tế"],
    },
    Topic {
        subject: "cải cách hành chính và nâng cao chỉ số PAR INDEX",
        weight: 6,
        years: (2021, 2025),
        leads: &["Sở Nội vụ"],
        supports: &[
            "Sở Tư pháp",
            OFFICE,
            "Trung tâm Phục vụ hành chính công tỉnh",
            DEPARTMENTS,
        ],
    },
    Topic {
        subject: "bảo đảm trật tự, an toàn giao thông",
        weight: 4,
        years: (2021, 2025),
        leads: &["Công an tỉnh", "Sở Giao thông vận tải", "Sở Xây dựng"],
        supports: &["Sở Giao thông vận tải", "Sở Xây dựng", DISTRICTS],
    },
    Topic {
        subject: "phòng, chống thiên tai và tìm kiếm cứu nạn",
        weight: 5,
        years: (2021, 2025),
        leads: &[
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Sở Nông nghiệp và Môi trường",
        ],
        supports: &[
            "Bộ Chỉ huy Quân sự tỉnh",
            "Công an tỉnh",
            DISTRICTS,
            COMMUNES,
        ],
    },
    Topic {
        subject: "xây dựng nông thôn mới",
        weight: 5,
        years: (2021, 2025),
        leads: &[
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Sở Nông nghiệp và Môi trường",
            DISTRICTS,
        ],
        supports: &["Sở Tài chính", "Sở Kế hoạch và Đầu tư", DISTRICTS],
    },
    Topic {
        subject: "quản lý đất đai và giải phóng mặt bằng các dự án trọng điểm",
        weight: 6,
        years: (2021, 2025),
        leads: &[
            "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Môi trường",
            DISTRICTS,
        ],
        supports: &["Sở Xây dựng", "Sở Tài chính", "Sở Tư pháp"],
    },
    Topic {
        subject: "bảo vệ môi trường và xử lý chất thải rắn sinh hoạt",
        weight: 3,
        years: (2021, 2025),
        leads: &[
            "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Môi trường",
        ],
        supports: &["Sở Xây dựng", DISTRICTS, COMMUNES],
    },
    Topic {
        subject: "nâng cao chất lượng giáo dục và đào tạo",
        weight: 4,
        years: (2021, 2025),
        leads: &["Sở Giáo dục và Đào tạo"],
        supports: &["Sở Tài chính", "Sở Nội vụ", DISTRICTS],
    },
    Topic {
        subject: "phát triển du lịch và tổ chức các sự kiện văn hóa, thể thao",
        weight: 3,
        years: (2021, 2025),
        leads: &["Sở Văn hóa, Thể thao và Du lịch"],
        supports: &["Sở Công Thương", "Sở Tài chính", "Công an tỉnh"],
    },
    Topic {
        subject: "bảo đảm an toàn thực phẩm",
        weight: 2,
        years: (2021, 2025),
        leads: &[
            "Sở Y tế",
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Sở Công Thương",
        ],
        supports: &["Công an tỉnh", DISTRICTS],
    },
    Topic {
        subject: "thực hiện chính sách giảm nghèo bền vững",
        weight: 3,
        years: (2021, 2025),
        leads: &[
            "Sở Lao động - Thương binh và Xã hội",
            "Sở Nông nghiệp và Môi trường",
        ],
        supports: &["Sở Tài chính", DISTRICTS],
    },
    Topic {
        subject: "thu hút đầu tư vào Khu kinh tế Dung Quất và các khu công nghiệp",
        weight: 3,
        years: (2021, 2025),
        leads: &["Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"],
        supports: &["Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương"],
    },
    Topic {
        subject: "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        weight: 2,
        years: (2021, 2025),
        leads: &["Công an tỉnh"],
        supports: &["Sở Xây dựng", "Sở Công Thương", DISTRICTS],
    },
    Topic {
        subject: "công tác dân tộc và chính sách đối với đồng bào dân tộc thiểu số",
        weight: 2,
        years: (2021, 2025),
        leads: &["Ban Dân tộc", "Sở Dân tộc và Tôn giáo"],
        supports: &["Sở Tài chính", "Sở Kế hoạch và Đầu tư", DISTRICTS],
    },
    Topic {
        subject: "thanh tra, tiếp công dân và giải quyết khiếu nại, tố cáo",
        weight: 3,
        years: (2021, 2025),
        leads: &["Thanh tra tỉnh"],
        supports: &["Sở Tài nguyên và Môi trường", "Sở Tư pháp", DISTRICTS],
    },
    Topic {
        subject: "phát triển công nghiệp, thương mại và bình ổn thị trường",
        weight: 3,
        years: (2021, 2025),
        leads: &["Sở Công Thương", "Sở Tài chính"],
        supports: &["Cục Quản lý thị trường tỉnh", "Sở Tài chính", DISTRICTS],
    },
    Topic {
        subject: "sắp xếp tổ chức bộ máy và đơn vị hành chính",
        weight: 4,
        years: (2024, 2025),
        leads: &["Sở Nội vụ"],
        supports: &["Sở Tài chính", OFFICE, DEPARTMENTS, DISTRICTS],
    },
];

const WORKS: &[&str] = &[
    "rà soát, đánh giá kết quả thực hiện",
    "tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch triển khai",
    "hướng dẫn, đôn đốc các địa phương, đơn vị triển khai",
    "tổ chức kiểm tra, giám sát việc thực hiện",
    "tổng hợp khó khăn, vướng mắc và đề xuất giải pháp tháo gỡ trong",
    "xây dựng phương án bố trí kinh phí cho",
    "đẩy mạnh công tác tuyên truyền, phổ biến về",
    "chủ động cân đối, bố trí nguồn lực để thực hiện",
    "kiểm tra, xử lý nghiêm các hành vi vi phạm trong",
    "cập nhật cơ sở dữ liệu và báo cáo tình hình",
    "nghiên cứu, đề xuất sửa đổi, bổ sung các quy định về",
    "làm việc với các bộ, ngành Trung ương để giải quyết kiến nghị liên quan đến",
    "xây dựng bộ chỉ số theo dõi, đánh giá",
    "tổ chức sơ kết, rút kinh nghiệm công tác",
];

const SIGNERS: &[&str] = &[
    "Đặng Văn Minh",
    "Trần Phước Hiền",
    "Võ Phiên",
    "Nguyễn Hoàng Giang",
    "Trần Hoàng Tuấn",
    "Nguyễn Ngọc Sâm",
];

/// A law or decree that directives cite: (kind, code, number, symbol, year, date, issuer,
/// as written).
type Law = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    &'static str,
    &'static str,
    &'static str,
);

const LAWS: &[Law] = &[
    (
        "luat",
        "39/2019/QH14",
        "39",
        "QH14",
        2019,
        "2019-06-13",
        "Quốc hội",
        "Luật Đầu tư công số 39/2019/QH14 ngày 13 tháng 6 năm 2019",
    ),
    (
        "nghi_dinh",
        "40/2020/NĐ-CP",
        "40",
        "NĐ-CP",
        2020,
        "2020-04-06",
        "Chính phủ",
        "Nghị định số 40/2020/NĐ-CP ngày 06 tháng 4 năm 2020 của Chính phủ",
    ),
    (
        "nghi_dinh",
        "61/2018/NĐ-CP",
        "61",
        "NĐ-CP",
        2018,
        "2018-04-23",
        "Chính phủ",
        "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ",
    ),
    (
        "nghi_dinh",
        "30/2020/NĐ-CP",
        "30",
        "NĐ-CP",
        2020,
        "2020-03-05",
        "Chính phủ",
        "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
    ),
    (
        "nghi_quyet",
        "76/NQ-CP",
        "76",
        "NQ-CP",
        2021,
        "2021-07-15",
        "Chính phủ",
        "Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ",
    ),
    (
        "quyet_dinh",
        "749/QĐ-TTg",
        "749",
        "QĐ-TTg",
        2020,
        "2020-06-03",
        "Thủ tướng Chính phủ",
        "Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ",
    ),
    (
        "quyet_dinh",
        "06/QĐ-TTg",
        "06",
        "QĐ-TTg",
        2022,
        "2022-01-06",
        "Thủ tướng Chính phủ",
        "Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ",
    ),
    (
        "quyet_dinh",
        "263/QĐ-TTg",
        "263",
        "QĐ-TTg",
        2022,
        "2022-02-22",
        "Thủ tướng Chính phủ",
        "Quyết định số 263/QĐ-TTg ngày 22 tháng 02 năm 2022 của Thủ tướng Chính phủ",
    ),
    (
        "quyet_dinh",
        "90/QĐ-TTg",
        "90",
        "QĐ-TTg",
        2022,
        "2022-01-18",
        "Thủ tướng Chính phủ",
        "Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng Chính phủ",
    ),
    (
        "luat",
        "33/2013/QH13",
        "33",
        "QH13",
        2013,
        "2013-06-19",
        "Quốc hội",
        "Luật Phòng, chống thiên tai số 33/2013/QH13 ngày 19 tháng 6 năm 2013",
    ),
];

const REPORTS: &[&str] = &[
    "Đã triển khai đến các phòng, đơn vị trực thuộc; đang tổng hợp kết quả.",
    "Đã tổ chức làm việc với các địa phương liên quan; một số nội dung còn vướng mắc về thủ tục.",
    "Đã hoàn thành dự thảo, đang lấy ý kiến các cơ quan, đơn vị liên quan.",
    "Đã kiểm tra tại các địa phương; đang hoàn thiện báo cáo kết quả kiểm tra.",
    "Đang phối hợp với các cơ quan liên quan hoàn thiện hồ sơ trình Ủy ban nhân dân tỉnh.",
];

/// An agency or group of the directory as the generator chooses among them.
struct Party {
    id: i64,
    name: String,
    group: bool,
    /// Department, board, provincial body or locality: may lead tasks of any topic.
    general: bool,
    valid_from: Option<String>,
    valid_to: Option<String>,
    /// Applied reorganisations from this agency: (reorganisation, from, to).
    moves: Vec<(i64, i64, i64)>,
}

impl Party {
    /// Whether it existed on `day` (ISO; validity may be given as a year or a month only).
    fn valid_on(&self, day: &str) -> bool {
        let prefix = |bound: &str| &day[..bound.len().min(day.len())];
        self.valid_from
            .as_deref()
            .is_none_or(|from| from <= prefix(from))
            && self.valid_to.as_deref().is_none_or(|to| to >= prefix(to))
    }
}

/// One document to write: its kind, day of issue and number of tasks.
struct Planned {
    kind: usize,
    issued_on: Date,
    tasks: u32,
}

/// A stored document later ones may cite and implement.
struct Cited {
    id: i64,
    kind: usize,
    number: String,
    symbol: String,
    issued_on: Date,
    first_task: i64,
    tasks: u32,
}

/// The last id of every table written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Ids {
    document: i64,
    reference: i64,
    task: i64,
    assignment: i64,
    deadline: i64,
    moved: i64,
    change: i64,
    report: i64,
    audit: i64,
    search: i64,
}

impl Ids {
    const TABLES: [&'static str; 10] = [
        "document",
        "document_reference",
        "task",
        "task_assignment",
        "task_deadline",
        "reorganisation_move",
        "task_status_change",
        "progress_report",
        "audit_log",
        "search_entry",
    ];

    async fn read(tx: &mut Tx) -> Result<Ids> {
        let mut last = [0i64; 10];
        for (i, table) in Ids::TABLES.iter().enumerate() {
            last[i] = tx
                .one(q(format!("SELECT COALESCE(MAX(id), 0) FROM {table}")))
                .await?
                .int(0)?;
        }
        let [
            document,
            reference,
            task,
            assignment,
            deadline,
            moved,
            change,
            report,
            audit,
            search,
        ] = last;
        Ok(Ids {
            document,
            reference,
            task,
            assignment,
            deadline,
            moved,
            change,
            report,
            audit,
            search,
        })
    }
}

fn take(id: &mut i64) -> i64 {
    *id += 1;
    *id
}

/// The rows of one transaction, table by table, parents first.
struct Batch {
    /// The last ids in the database before it.
    first: Ids,
    /// The last ids it writes.
    last: Ids,
    /// Everything written once it is.
    totals: Generated,
    blobs: Vec<Vec<Value>>,
    documents: Vec<Vec<Value>>,
    references: Vec<Vec<Value>>,
    tasks: Vec<Vec<Value>>,
    assignments: Vec<Vec<Value>>,
    moves: Vec<Vec<Value>>,
    deadlines: Vec<Vec<Value>>,
    changes: Vec<Vec<Value>>,
    reports: Vec<Vec<Value>>,
    audits: Vec<Vec<Value>>,
    search: Vec<Vec<Value>>,
}

impl Batch {
    async fn write(self, tx: &mut Tx, backend: Backend) -> Result<()> {
        let tables: [(&str, Vec<Vec<Value>>); 11] = [
            ("INSERT INTO file_blob (sha256, size, content)", self.blobs),
            (
                "INSERT INTO document (id, sha256, file_name, format, kind, code, number, symbol, year, issuer, place, \
                 issued_on, subject, monitor_agency, text, parse_result, imported_at, imported_by)",
                self.documents,
            ),
            (
                "INSERT INTO document_reference (id, document_id, position, code, kind, number, year, symbol, issued_on, \
                 issuer, text, span_start, span_end, resolved_from, target_document_id)",
                self.references,
            ),
            (
                "INSERT INTO task (id, document_id, outline_id, text, span_start, span_end, parent_task_id, status, created_at)",
                self.tasks,
            ),
            (
                "INSERT INTO task_assignment (id, task_id, role, position, party_kind, name, original_agency_id, agency_id)",
                self.assignments,
            ),
            (
                "INSERT INTO reorganisation_move (id, reorganisation_id, assignment_id, from_agency_id, to_agency_id, moved_at)",
                self.moves,
            ),
            (
                "INSERT INTO task_deadline (id, task_id, kind, due_on, text, every, source, reason, recorded_at, recorded_by)",
                self.deadlines,
            ),
            (
                "INSERT INTO task_status_change (id, task_id, action, from_status, to_status, on_date, at, by_user_id, reason)",
                self.changes,
            ),
            (
                "INSERT INTO progress_report (id, task_id, agency_id, author_id, reported_at, status, percent, content, \
                 result_code, result_document_id)",
                self.reports,
            ),
            (
                "INSERT INTO audit_log (id, at, actor_user_id, entity, entity_id, action, before_json, after_json)",
                self.audits,
            ),
            (
                "INSERT INTO search_entry (id, kind, ref_id, folded)",
                self.search,
            ),
        ];
        for (head, rows) in tables {
            insert(tx, head, rows).await?;
        }
        // The rows were indexed for search as they were written; the triggers' marks go.
        for (kind, from, to) in [
            ("document", self.first.document, self.last.document),
            ("task", self.first.task, self.last.task),
        ] {
            tx.execute(
                q("DELETE FROM search_dirty WHERE kind = $1 AND ref_id > $2 AND ref_id <= $3")
                    .bind(kind)
                    .bind(from)
                    .bind(to),
            )
            .await?;
        }
        // Ids are the last one used before the batch and the last one in it.
        let tasks: Vec<i64> = (self.first.task + 1..=self.last.task).collect();
        crate::standing::refresh(tx, &tasks).await?;
        if backend == Backend::Postgres {
            // Rows came with their ids; the identity sequences must continue after them.
            for table in Ids::TABLES {
                tx.execute(q(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )))
                .await?;
            }
        }
        Ok(())
    }
}

/// Inserts rows of equal width, as many to a statement as the parameter limits allow.
///
/// Not [`Tx::insert_rows`], for two reasons that together made it 5× slower here. SQLite
/// finds the argument of a `$N` parameter through `sqlite3_bind_parameter_name`, which walks
/// the statement's list of names: binding a statement of n named parameters costs n², and
/// half the time of a bulk write went there. Anonymous `?` parameters skip that lookup, so on
/// SQLite the placeholders are `?` (in order, as the `$N` would have been); the statement is
/// otherwise the same text on both databases. And the values are moved into the query rather
/// than cloned.
async fn insert(tx: &mut Tx, head: &str, rows: Vec<Vec<Value>>) -> Result<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    // Below SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement.
    let per_statement = (30_000 / width).min(1_000);
    let mut rows = rows.into_iter().peekable();
    let mut sql = String::new();
    let mut sql_rows = 0;
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Value>> = rows.by_ref().take(per_statement).collect();
        if chunk.len() != sql_rows {
            sql = format!("{head} VALUES ");
            let mut n = 0;
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for j in 0..width {
                    n += 1;
                    let sep = if j == 0 { "" } else { ", " };
                    match tx {
                        Tx::Sqlite(_) => sql.push_str(&format!("{sep}?")),
                        Tx::Postgres(_) => sql.push_str(&format!("{sep}${n}")),
                    }
                }
                sql.push(')');
            }
            sql_rows = chunk.len();
        }
        let values = chunk.into_iter().flatten();
        match tx {
            Tx::Sqlite(t) => {
                let mut query = sqlx::query::<sqlx::Sqlite>(&sql);
                for v in values {
                    query = match v {
                        Value::Int(v) => query.bind(v),
                        Value::Text(v) => query.bind(v),
                        Value::Bytes(v) => query.bind(v),
                    };
                }
                query.execute(&mut **t).await?;
            }
            Tx::Postgres(t) => {
                let mut query = sqlx::query::<sqlx::Postgres>(&sql);
                for v in values {
                    query = match v {
                        Value::Int(v) => query.bind(v),
                        Value::Text(v) => query.bind(v),
                        Value::Bytes(v) => query.bind(v),
                    };
                }
                query.execute(&mut **t).await?;
            }
        }
    }
    Ok(())
}

/// A status change of a task's history.
struct Change {
    action: ActionKind,
    from: Status,
    to: Status,
    day: Date,
    reason: Option<&'static str>,
}

/// A task's history as drawn: its changes, a later deadline and its progress reports.
struct History {
    changes: Vec<Change>,
    /// (day recorded, new due day).
    extended: Option<(Date, Date)>,
    /// (day, percent, status claimed, content).
    reports: Vec<(Date, i64, Status, &'static str)>,
}

/// A history being drawn: the status it has reached and the day of its last change.
struct Track {
    h: History,
    who: Who,
    status: Status,
    last: Date,
    today: Date,
    /// A change fell on today or later: nothing after it has happened yet.
    stopped: bool,
}

impl Track {
    /// Records `action` on `day` (or the day of the last change, if later) when it has
    /// happened by yesterday and the rules allow it from the status reached; whether it did.
    fn step(&mut self, action: Action, day: Date, reason: Option<&'static str>) -> bool {
        let day = day.max(self.last);
        if self.stopped || day >= self.today {
            self.stopped = true;
            return false;
        }
        let Ok(to) = workflow::apply(self.status, &action, &self.who) else {
            return false;
        };
        self.h.changes.push(Change {
            action: action.kind(),
            from: self.status,
            to,
            day,
            reason,
        });
        (self.status, self.last) = (to, day);
        true
    }
}

/// Someone every rule admits (head of the lead agency, its monitor, a leader of the issuer),
/// so that [`workflow::apply`] checks only the order of the history.
fn anyone() -> Who {
    Who {
        roles: Roles::of(&[Role::AgencyHead, Role::Monitor, Role::Leader]),
        in_lead_agency: true,
        is_assigned_officer: false,
        reported_done: false,
        monitors_task: true,
        leads_issuer: true,
    }
}

struct Generator {
    seed: u64,
    tasks: u64,
    today: Date,
    now: Timestamp,
    calendar: Calendar,
    plan: Vec<Planned>,
    parties: Vec<Party>,
    by_name: HashMap<String, usize>,
    earlier: Vec<Cited>,
    numbers: HashMap<(i32, String), u32>,
    /// Tasks led or supported, by party index.
    load: Vec<u64>,
    /// Tasks a batch.
    batch: u64,
    /// The last ids taken.
    ids: Ids,
    /// The next document of the plan to draw.
    next_doc: usize,
    /// What the documents drawn so far write.
    done: Generated,
}

impl Generator {
    fn new(spec: &GenerateSpec, today: Date) -> Generator {
        Generator {
            seed: spec.seed,
            tasks: spec.tasks,
            today,
            now: spec.now,
            calendar: Calendar::new(),
            plan: Vec::new(),
            parties: Vec::new(),
            by_name: HashMap::new(),
            earlier: Vec::new(),
            numbers: HashMap::new(),
            load: Vec::new(),
            batch: spec.batch.max(1),
            ids: Ids::default(),
            next_doc: 0,
            done: Generated::empty(),
        }
    }

    /// Draws the next documents of the plan, up to a batch of tasks.
    fn fill(&mut self) -> Result<Batch> {
        let mut batch = Batch {
            first: self.ids,
            last: self.ids,
            totals: Generated::empty(),
            blobs: Vec::new(),
            documents: Vec::new(),
            references: Vec::new(),
            tasks: Vec::new(),
            assignments: Vec::new(),
            moves: Vec::new(),
            deadlines: Vec::new(),
            changes: Vec::new(),
            reports: Vec::new(),
            audits: Vec::new(),
            search: Vec::new(),
        };
        let mut ids = self.ids;
        let mut done = self.done.clone();
        while self.next_doc < self.plan.len() && (batch.tasks.len() as u64) < self.batch {
            self.document(self.next_doc, &mut ids, &mut batch, &mut done)?;
            self.next_doc += 1;
        }
        done.audit_rows += batch.audits.len() as u64;
        done.busiest_agency = self.busiest();
        (self.ids, self.done) = (ids, done.clone());
        batch.last = ids;
        batch.totals = done;
        Ok(batch)
    }

    /// Draws the documents: kinds and sizes until they hold the tasks asked for, then days of
    /// issue, sorted, so ids follow time as in a store filled day by day.
    fn plan(&mut self, first: Date, last: Date) {
        let mut rng = Rng::derived(self.seed, u64::MAX);
        let shares: Vec<u32> = KINDS.iter().map(|k| k.share).collect();
        let mut total = 0u64;
        while total < self.tasks {
            let kind = rng.weighted(&shares);
            let (least, mean) = KINDS[kind].tasks;
            let n = (f64::from(least) + rng.exponential(mean)).min(150.0) as u64;
            let n = n.clamp(1, self.tasks - total);
            total += n;
            self.plan.push(Planned {
                kind,
                issued_on: first,
                tasks: n as u32,
            });
        }
        let span = last.days_since(first);
        let mut days: Vec<Date> = (0..self.plan.len())
            .map(|_| {
                let d = first.add_days(rng.range(0, span));
                let d = self.calendar.next_working_day_from(d).unwrap_or(d);
                d.min(last)
            })
            .collect();
        days.sort();
        for (p, d) in self.plan.iter_mut().zip(days) {
            p.issued_on = d;
        }
    }

    async fn load_directory(&mut self, tx: &mut Tx) -> Result<()> {
        let rows = tx
            .all(q(
                "SELECT id, name, kind, valid_from, valid_to FROM agency ORDER BY id",
            ))
            .await?;
        for r in &rows {
            let id = r.int(0)?;
            let kind = r.text(2)?;
            let name = r.text(1)?;
            let general = matches!(kind.as_str(), "department" | "board" | "locality")
                || (kind == "provincial_body" && GENERAL_BODIES.contains(&name.as_str()));
            let moves = if kind == "central" {
                Vec::new()
            } else {
                successors_applied(tx, AgencyId(id)).await?
            };
            self.by_name
                .insert(vn_text::fold(&name), self.parties.len());
            self.parties.push(Party {
                id,
                name,
                group: kind == "group",
                general,
                valid_from: r.opt_text(3)?,
                valid_to: r.opt_text(4)?,
                moves,
            });
        }
        self.load = vec![0; self.parties.len()];
        Ok(())
    }

    fn busiest(&self) -> Option<(AgencyRef, u64)> {
        let (i, n) = self
            .load
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.parties[*i].group)
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
        let p = &self.parties[i];
        Some((
            AgencyRef {
                id: AgencyId(p.id),
                name: p.name.clone(),
            },
            *n,
        ))
    }

    /// The party named `name` when it existed on `day`.
    fn named(&self, name: &str, day: &str) -> Option<usize> {
        self.by_name
            .get(&vn_text::fold(name))
            .copied()
            .filter(|&i| self.parties[i].valid_on(day))
    }

    /// A lead for a task of `topic` on `day`: mostly the topic's usual agencies (the first
    /// valid one most often), else any agency of the province valid that day.
    fn lead(&self, rng: &mut Rng, topic: &Topic, day: &str) -> usize {
        let usual: Vec<usize> = topic
            .leads
            .iter()
            .filter_map(|n| self.named(n, day))
            .collect();
        if !usual.is_empty() && rng.chance(0.75) {
            let weights: Vec<u32> = (0..usual.len()).map(|i| 8 >> i.min(3)).collect();
            return usual[rng.weighted(&weights)];
        }
        self.any_general(rng, day)
    }

    fn any_general(&self, rng: &mut Rng, day: &str) -> usize {
        loop {
            let i = rng.below(self.parties.len() as u64) as usize;
            if self.parties[i].general && self.parties[i].valid_on(day) {
                return i;
            }
        }
    }

    /// Up to three supporting parties other than `lead`.
    fn supports(&self, rng: &mut Rng, topic: &Topic, day: &str, lead: usize) -> Vec<usize> {
        let n = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3][rng.below(10) as usize];
        let mut out: Vec<usize> = Vec::new();
        for _ in 0..n * 3 {
            if out.len() == n {
                break;
            }
            let candidate = if rng.chance(0.6) {
                self.named(rng.pick::<&str>(topic.supports), day)
            } else {
                Some(self.any_general(rng, day))
            };
            if let Some(c) = candidate.filter(|c| *c != lead && !out.contains(c)) {
                out.push(c);
            }
        }
        out
    }

    /// The next number of this year and symbol, with the gaps left by documents that assign
    /// no task.
    fn number(&mut self, rng: &mut Rng, year: i32, symbol: &str) -> u32 {
        let n = self.numbers.entry((year, symbol.to_owned())).or_insert(0);
        *n += 1 + rng.below(3) as u32;
        *n
    }

    /// Draws document `i` of the plan and adds its rows to `batch`.
    fn document(
        &mut self,
        i: usize,
        ids: &mut Ids,
        batch: &mut Batch,
        done: &mut Generated,
    ) -> Result<()> {
        let mut rng = Rng::derived(self.seed, i as u64);
        let Planned {
            kind,
            issued_on,
            tasks: task_count,
        } = self.plan[i];
        let k = &KINDS[kind];
        let day = issued_on.to_string();
        let year = issued_on.year();
        let topics: Vec<&Topic> = TOPICS
            .iter()
            .filter(|t| (t.years.0..=t.years.1).contains(&year))
            .collect();
        let weights: Vec<u32> = topics.iter().map(|t| t.weight).collect();
        let topic = topics[rng.weighted(&weights)];
        let symbol = match k.code {
            "cong_van" => (*rng.pick(LETTER_SYMBOLS)).to_owned(),
            "ke_hoach" => "KH-UBND".to_owned(),
            "quyet_dinh" => "QĐ-UBND".to_owned(),
            _ => "CT-UBND".to_owned(),
        };
        let number = self.number(&mut rng, year, &symbol).to_string();
        let code = format!("{number}/{symbol}");
        let subject = match k.code {
            "cong_van" => format!("Triển khai công tác {}", topic.subject),
            "ke_hoach" => format!("Kế hoạch thực hiện công tác {} năm {year}", topic.subject),
            "quyet_dinh" => format!(
                "Ban hành Chương trình hành động về {} giai đoạn {year}-{}",
                topic.subject,
                year + 2
            ),
            _ => format!("Về tăng cường công tác {}", topic.subject),
        };
        let monitor = if rng.chance(0.8) {
            OFFICE.to_owned()
        } else {
            topic
                .leads
                .iter()
                .find_map(|n| self.named(n, &day))
                .map_or_else(|| OFFICE.to_owned(), |p| self.parties[p].name.clone())
        };
        let imported_on = self
            .calendar
            .add_working_days(issued_on, rng.range(0, 3))
            .unwrap_or(issued_on);
        let imported_at = moment(&mut rng, imported_on, 8, 11);
        let (y, m, d) = issued_on.ymd();
        let document_id = take(&mut ids.document);

        // The text: header, grounds (the citations), the tasks one to a paragraph, closing.
        let dateline = format!("Quảng Ngãi, ngày {d:02} tháng {m:02} năm {y}");
        let mut text = if k.code == "cong_van" {
            let about = subject.replacen("Triển khai", "triển khai", 1);
            format!("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: {code}\nV/v {about}\n{dateline}\n")
        } else {
            let title = k.title.to_uppercase();
            format!(
                "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: {code}\n{dateline}\n{title}\n{subject}\n"
            )
        };
        let mut references: Vec<doc_parse::Reference> = Vec::new();
        let mut targets: Vec<Option<i64>> = Vec::new();
        let mut parent_pool: Option<(i64, u32)> = None;
        let laws = rng.range(1, 3);
        for _ in 0..laws {
            let law = *rng.pick(LAWS);
            text.push_str("Căn cứ ");
            let start = text.len();
            text.push_str(law.7);
            references.push(doc_parse::Reference {
                kind: Some(law.0.to_owned()),
                code: law.1.to_owned(),
                number: Some(law.2.to_owned()),
                year: Some(law.4),
                symbol: Some(law.3.to_owned()),
                date: Some(law.5.to_owned()),
                issuer: Some(law.6.to_owned()),
                text: law.7.to_owned(),
                span: [start, text.len()],
                resolved_from: None,
            });
            targets.push(None);
            text.push_str(";\n");
        }
        if !self.earlier.is_empty() && rng.chance(0.6) {
            // An earlier directive of the province this one carries on: among the last few
            // hundred, as directives mostly follow recent ones.
            let back = rng.below(self.earlier.len().min(400) as u64) as usize;
            let cited = &self.earlier[self.earlier.len() - 1 - back];
            let (cy, cm, cd) = cited.issued_on.ymd();
            let mention = format!(
                "{} số {}/{} ngày {cd:02}/{cm:02}/{cy} của Ủy ban nhân dân tỉnh",
                KINDS[cited.kind].title, cited.number, cited.symbol
            );
            text.push_str("Thực hiện ");
            let start = text.len();
            text.push_str(&mention);
            references.push(doc_parse::Reference {
                kind: Some(KINDS[cited.kind].code.to_owned()),
                code: format!("{}/{}", cited.number, cited.symbol),
                number: Some(cited.number.clone()),
                year: Some(cy),
                symbol: Some(cited.symbol.clone()),
                date: Some(cited.issued_on.to_string()),
                issuer: Some(ISSUER.to_owned()),
                text: mention,
                span: [start, text.len()],
                resolved_from: None,
            });
            targets.push(Some(cited.id));
            parent_pool = Some((cited.first_task, cited.tasks));
            text.push_str(";\n");
        }
        text.push_str(if k.code == "cong_van" {
            "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\n"
        } else {
            "Ủy ban nhân dân tỉnh giao nhiệm vụ cụ thể như sau:\n"
        });

        let first_task = ids.task + 1;
        let sections: &[&str] = if task_count > 12 && k.code != "cong_van" {
            &["I", "II", "III", "IV"]
        } else {
            &[""]
        };
        let per_section = task_count.div_ceil(sections.len() as u32);
        let mut parsed_tasks = Vec::with_capacity(task_count as usize);
        let mut all_parties: Vec<String> = Vec::new();
        for t in 0..task_count {
            let section = sections[(t / per_section) as usize];
            let n = t % per_section + 1;
            if !section.is_empty() && n == 1 {
                text.push_str(&format!("{section}. NHIỆM VỤ, GIẢI PHÁP\n"));
            }
            let outline_id = if section.is_empty() {
                n.to_string()
            } else {
                format!("{section}.{n}")
            };
            let task_topic = if rng.chance(0.8) {
                topic
            } else {
                topics[rng.weighted(&weights)]
            };
            let lead = self.lead(&mut rng, task_topic, &day);
            let supports = self.supports(&mut rng, task_topic, &day, lead);
            let deadline = self.deadline(&mut rng, issued_on);
            let lead_name = self.parties[lead].name.clone();
            let support_names: Vec<String> = supports
                .iter()
                .map(|s| self.parties[*s].name.clone())
                .collect();
            let mut support_all = support_names.clone();
            if rng.chance(0.01) {
                support_all.push("Các trường đại học, cao đẳng trên địa bàn tỉnh".to_owned());
            }
            let work = rng.pick(WORKS);
            let due_words = deadline
                .text
                .as_deref()
                .map(|t| format!("; {t}"))
                .unwrap_or_default();
            let body = if support_all.is_empty() {
                format!("Giao {lead_name} {work} {}{due_words}.", task_topic.subject)
            } else {
                format!(
                    "{lead_name} chủ trì, phối hợp với {} {work} {}{due_words}.",
                    support_all.join(", "),
                    task_topic.subject
                )
            };
            text.push_str(&format!("{n}. "));
            let start = text.len();
            text.push_str(&body);
            let span = [start, text.len()];
            text.push('\n');

            let task_id = take(&mut ids.task);
            let parent = parent_pool
                .filter(|_| rng.chance(0.3))
                .map(|(first, count)| first + rng.below(u64::from(count)) as i64);
            let history = self.history(&mut rng, imported_on, &deadline);
            let status = history
                .changes
                .last()
                .map_or(Status::ChuaThucHien, |c| c.to);
            let open = status.is_open();
            let created = imported_at.to_string();
            batch.tasks.push(vec![
                task_id.into(),
                document_id.into(),
                outline_id.as_str().into(),
                body.as_str().into(),
                (span[0] as i64).into(),
                (span[1] as i64).into(),
                parent.into(),
                status.code().into(),
                created.clone().into(),
            ]);
            batch.search.push(vec![
                take(&mut ids.search).into(),
                "task".into(),
                task_id.into(),
                words(&format!("{outline_id}\n{body}")).join(" ").into(),
            ]);

            let mut assigned = Vec::new();
            let parties = std::iter::once((true, Some(lead), lead_name.clone())).chain(
                support_all
                    .iter()
                    .enumerate()
                    .map(|(j, name)| (false, supports.get(j).copied(), name.clone())),
            );
            let mut position = [0i64; 2];
            for (is_lead, party, name) in parties {
                let role = if is_lead { "lead" } else { "support" };
                let pos = &mut position[usize::from(!is_lead)];
                let assignment = take(&mut ids.assignment);
                let (kind, original, current) = match party {
                    Some(p) => {
                        self.load[p] += 1;
                        let party = &self.parties[p];
                        let steps: &[(i64, i64, i64)] = if open { &party.moves } else { &[] };
                        for &(reorganisation, from, to) in steps {
                            batch.moves.push(vec![
                                take(&mut ids.moved).into(),
                                reorganisation.into(),
                                assignment.into(),
                                from.into(),
                                to.into(),
                                self.now.to_string().into(),
                            ]);
                        }
                        let current = steps.last().map_or(party.id, |s| s.2);
                        (
                            if party.group { "group" } else { "agency" },
                            Some(party.id),
                            Some(current),
                        )
                    }
                    None => ("unknown", None, None),
                };
                batch.assignments.push(vec![
                    assignment.into(),
                    task_id.into(),
                    role.into(),
                    (*pos).into(),
                    kind.into(),
                    name.as_str().into(),
                    original.into(),
                    current.into(),
                ]);
                *pos += 1;
                done.assignments += 1;
                assigned.push(json!({"role": role, "name": &name, "kind": kind, "original_agency_id": original, "agency_id": current}));
                if !all_parties.contains(&name) {
                    all_parties.push(name);
                }
            }

            batch.deadlines.push(vec![
                take(&mut ids.deadline).into(),
                task_id.into(),
                deadline.kind.as_str().into(),
                deadline.date.clone().into(),
                deadline.text.clone().into(),
                deadline.every.clone().into(),
                "document".into(),
                Value::Text(None),
                created.clone().into(),
                Value::Int(None),
            ]);
            done.deadlines += 1;
            let audit = |ids: &mut Ids,
                         at: String,
                         entity: &str,
                         id: i64,
                         action: &str,
                         before: Option<serde_json::Value>,
                         after: serde_json::Value|
             -> Vec<Value> {
                vec![
                    take(&mut ids.audit).into(),
                    at.into(),
                    Value::Int(None),
                    entity.into(),
                    id.to_string().into(),
                    action.into(),
                    before.map(|b| b.to_string()).into(),
                    Some(after.to_string()).into(),
                ]
            };
            batch.audits.push(audit(
                ids,
                created.clone(),
                "task",
                task_id,
                "create",
                None,
                json!({
                    "document": document_id,
                    "outline_id": &outline_id,
                    "status": "chua_thuc_hien",
                    "assignments": assigned,
                    "deadline": {"kind": &deadline.kind, "date": &deadline.date, "text": &deadline.text},
                }),
            ));

            // What happened afterwards.
            if let Some((on, due)) = history.extended {
                let at = moment(&mut rng, on, 9, 16).to_string();
                batch.deadlines.push(vec![
                    take(&mut ids.deadline).into(),
                    task_id.into(),
                    "date".into(),
                    due.to_string().into(),
                    Value::Text(None),
                    Value::Text(None),
                    "manual".into(),
                    EXTENDED.into(),
                    at.clone().into(),
                    Value::Int(None),
                ]);
                done.deadlines += 1;
                batch.audits.push(audit(
                    ids,
                    at,
                    "task",
                    task_id,
                    "add_deadline",
                    Some(json!({"kind": &deadline.kind, "due_on": &deadline.date})),
                    json!({"kind": "date", "due_on": due.to_string(), "source": "manual", "reason": EXTENDED}),
                ));
            }
            for c in &history.changes {
                let at = moment(&mut rng, c.day, 7, 17).to_string();
                batch.changes.push(vec![
                    take(&mut ids.change).into(),
                    task_id.into(),
                    c.action.code().into(),
                    c.from.code().into(),
                    c.to.code().into(),
                    c.day.to_string().into(),
                    at.clone().into(),
                    Value::Int(None),
                    c.reason.into(),
                ]);
                done.status_changes += 1;
                batch.audits.push(audit(
                    ids,
                    at,
                    "task",
                    task_id,
                    c.action.code(),
                    Some(json!({"status": c.from.code()})),
                    json!({"status": c.to.code(), "reason": c.reason, "on": c.day.to_string()}),
                ));
            }
            let mut reports = history.reports;
            reports.sort_by_key(|r| r.0);
            for (on, percent, claimed, content) in &reports {
                let at = moment(&mut rng, *on, 14, 17).to_string();
                let report = take(&mut ids.report);
                let agency = self.parties[lead].id;
                batch.reports.push(vec![
                    report.into(),
                    task_id.into(),
                    agency.into(),
                    Value::Int(None),
                    at.clone().into(),
                    claimed.code().into(),
                    (*percent).into(),
                    (*content).into(),
                    Value::Text(None),
                    Value::Int(None),
                ]);
                done.progress_reports += 1;
                batch.audits.push(audit(
                    ids,
                    at,
                    "progress_report",
                    report,
                    "create",
                    None,
                    json!({"task": task_id, "agency": agency, "status": claimed.code(), "percent": percent, "result": null, "attachments": []}),
                ));
            }
            let progress = ProgressStatus::ALL
                .iter()
                .position(|s| s.code() == status.code())
                .unwrap_or(0);
            done.by_status[progress].1 += 1;
            done.tasks += 1;
            parsed_tasks.push(doc_parse::Task {
                id: outline_id,
                text: body,
                lead: vec![lead_name],
                support: support_all,
                deadline,
                references: Vec::new(),
                span,
            });
        }
        text.push_str(&format!(
            "Giao {monitor} theo dõi, đôn đốc và tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh.\n\
             KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n{}\n",
            rng.pick(SIGNERS)
        ));

        // The original is the text itself, as imported from a .txt file.
        let sha = Sha256::of(text.as_bytes());
        let file_name = format!("{}-{}-{year}.txt", number, symbol);
        let mut parsed = doc_parse::Document::empty(doc_parse::Source {
            file: file_name.clone(),
            format: "text".to_owned(),
            sha256: sha.to_string(),
        });
        parsed.kind = Some(k.code.to_owned());
        parsed.issuer = Some(doc_parse::Issuer {
            name: ISSUER.to_owned(),
            parent: None,
        });
        parsed.number = Some(number.clone());
        parsed.symbol = Some(symbol.clone());
        parsed.code = Some(code.clone());
        parsed.place = Some("Quảng Ngãi".to_owned());
        parsed.date = Some(day.clone());
        parsed.subject = Some(subject.clone());
        parsed.recipients = all_parties;
        parsed.signer = Some(doc_parse::Signer {
            authority: Some("KT.".to_owned()),
            on_behalf_of: Some("Chủ tịch".to_owned()),
            title: Some("Phó Chủ tịch".to_owned()),
            name: None,
        });
        parsed.references = references;
        parsed.tasks = parsed_tasks;
        parsed.monitor = Some(doc_parse::Monitor {
            agency: monitor.clone(),
            report_to: Some("Ủy ban nhân dân tỉnh".to_owned()),
            deadline: doc_parse::Deadline {
                kind: "none".to_owned(),
                date: None,
                text: None,
                every: None,
            },
        });
        let parse_result = serde_json::to_string(&parsed).map_err(|e| Error::Invalid {
            what: "kết quả phân tích",
            value: e.to_string(),
        })?;
        for (position, (r, target)) in parsed.references.iter().zip(&targets).enumerate() {
            batch.references.push(vec![
                take(&mut ids.reference).into(),
                document_id.into(),
                (position as i64).into(),
                r.code.as_str().into(),
                r.kind.clone().into(),
                r.number.clone().into(),
                r.year.map(i64::from).into(),
                r.symbol.clone().into(),
                r.date.clone().into(),
                r.issuer.clone().into(),
                r.text.as_str().into(),
                (r.span[0] as i64).into(),
                (r.span[1] as i64).into(),
                Value::Text(None),
                (*target).into(),
            ]);
            done.references += 1;
        }
        let imported = imported_at.to_string();
        batch.search.push(vec![
            take(&mut ids.search).into(),
            "document".into(),
            document_id.into(),
            words(&[k.code, &code, ISSUER, &subject, &text].join("\n"))
                .join(" ")
                .into(),
        ]);
        batch.audits.push(vec![
            take(&mut ids.audit).into(),
            imported.clone().into(),
            Value::Int(None),
            "document".into(),
            document_id.to_string().into(),
            "import".into(),
            Value::Text(None),
            Some(
                json!({
                    "sha256": sha.as_str(),
                    "file": file_name,
                    "code": code,
                    "year": year,
                    "issuer": ISSUER,
                    "tasks": task_count,
                    "references": parsed.references.len(),
                })
                .to_string(),
            )
            .into(),
        ]);
        batch.blobs.push(vec![
            sha.as_str().into(),
            (text.len() as i64).into(),
            Value::Bytes(text.clone().into_bytes()),
        ]);
        batch.documents.push(vec![
            document_id.into(),
            sha.as_str().into(),
            file_name.into(),
            "text".into(),
            k.code.into(),
            code.into(),
            number.as_str().into(),
            symbol.as_str().into(),
            i64::from(year).into(),
            ISSUER.into(),
            "Quảng Ngãi".into(),
            day.into(),
            subject.into(),
            monitor.into(),
            text.into(),
            parse_result.into(),
            imported.into(),
            Value::Int(None),
        ]);
        done.documents += 1;
        self.earlier.push(Cited {
            id: document_id,
            kind,
            number,
            symbol,
            issued_on,
            first_task,
            tasks: task_count,
        });
        Ok(())
    }

    /// A deadline as a directive states it, counted from the day of issue.
    fn deadline(&self, rng: &mut Rng, issued_on: Date) -> doc_parse::Deadline {
        let deadline =
            |kind: &str, date: Option<Date>, text: Option<String>, every: Option<&str>| {
                doc_parse::Deadline {
                    kind: kind.to_owned(),
                    date: date.map(|d| d.to_string()),
                    text,
                    every: every.map(str::to_owned),
                }
            };
        let roll = rng.below(100);
        if roll < 55 {
            let days = match rng.below(100) {
                0..10 => rng.range(7, 14),
                10..35 => rng.range(15, 30),
                35..65 => rng.range(31, 90),
                65..85 => rng.range(91, 180),
                85..95 => rng.range(181, 365),
                _ => rng.range(366, 900),
            };
            let due = issued_on.add_days(days);
            let (y, m, d) = due.ymd();
            deadline(
                "date",
                Some(due),
                Some(format!("hoàn thành trước ngày {d}/{m}/{y}")),
                None,
            )
        } else if roll < 65 {
            let (y, m, _) = issued_on.add_days(rng.range(20, 200)).ymd();
            if rng.chance(0.5) {
                let last = date(y, m, vn_calendar::days_in_month(y, m));
                deadline(
                    "period",
                    Some(last),
                    Some(format!("trong tháng {m}/{y}")),
                    None,
                )
            } else {
                let quarter = (m - 1) / 3;
                let end = date(
                    y,
                    quarter * 3 + 3,
                    if quarter == 0 || quarter == 3 { 31 } else { 30 },
                );
                deadline(
                    "period",
                    Some(end),
                    Some(format!(
                        "trong quý {}/{y}",
                        ["I", "II", "III", "IV"][quarter as usize]
                    )),
                    None,
                )
            }
        } else if roll < 77 {
            let (text, every) = *rng.pick(&[
                ("báo cáo định kỳ hằng tháng", Some("month")),
                ("báo cáo định kỳ hằng quý", Some("quarter")),
                ("báo cáo định kỳ hằng quý", Some("quarter")),
                ("báo cáo hằng năm", Some("year")),
                ("thực hiện thường xuyên", None),
            ]);
            deadline("recurring", None, Some(text.to_owned()), every)
        } else if roll < 80 {
            deadline("on_request", None, Some("khi có yêu cầu".to_owned()), None)
        } else {
            deadline("none", None, None, None)
        }
    }

    /// What happened to a task imported on `imported_on`: every change passes
    /// [`workflow::apply`], and nothing happens on or after today.
    fn history(&self, rng: &mut Rng, imported_on: Date, deadline: &doc_parse::Deadline) -> History {
        let cal = &self.calendar;
        let later = |from: Date, lo: i32, hi: i32, rng: &mut Rng| {
            let n = rng.range(lo, hi);
            cal.add_working_days(from, n).unwrap_or(from.add_days(n))
        };
        let due: Option<Date> = deadline.date.as_deref().and_then(|d| d.parse().ok());
        let mut t = Track {
            h: History {
                changes: Vec::new(),
                extended: None,
                reports: Vec::new(),
            },
            who: anyone(),
            status: Status::ChuaThucHien,
            last: imported_on,
            today: self.today,
            stopped: false,
        };
        let start_day = later(imported_on, 1, 15, rng);
        let mut due_now = due;
        if let Some(d) = due
            && rng.chance(0.04)
        {
            let on = later(start_day, 2, 10, rng);
            if on < d && on < self.today {
                let new_due = d.add_days(rng.range(30, 120));
                t.h.extended = Some((on, new_due));
                due_now = Some(new_due);
            }
        }
        match rng.below(1000) {
            // Withdrawn by the issuer, sometimes after work began.
            0..20 => {
                if rng.chance(0.5) {
                    t.step(Action::Start, start_day, None);
                }
                let day = later(start_day, 10, 250, rng);
                let reason = CANCELLED.to_owned();
                t.step(Action::Cancel { reason }, day, Some(CANCELLED));
                return t.h;
            }
            // Refused as not the agency's; mostly given back (to the same agency: unfounded).
            20..35 => {
                let day = later(imported_on, 2, 10, rng);
                let reason = REFUSED.to_owned();
                t.step(Action::Refuse { reason }, day, Some(REFUSED));
                if rng.chance(0.3) {
                    return t.h;
                }
                t.step(Action::Reassign, later(day, 3, 20, rng), None);
            }
            // Suspended; resumed now and then.
            35..60 => {
                t.step(Action::Start, start_day, None);
                let day = later(start_day, 10, 120, rng);
                let reason = SUSPENDED.to_owned();
                t.step(Action::Suspend { reason }, day, Some(SUSPENDED));
                if rng.chance(0.6) {
                    return t.h;
                }
                let previous = Some(Status::DangThucHien);
                t.step(Action::Resume { previous }, later(day, 20, 200, rng), None);
            }
            // Never finished: begun or not, open past its deadline.
            60..160 => {
                if rng.chance(0.7) && t.step(Action::Start, start_day, None) {
                    self.reports(rng, &mut t.h, start_day, self.today);
                }
                return t.h;
            }
            _ => {}
        }
        if deadline.kind == "recurring" && rng.chance(0.75) {
            // Recurring work goes on.
            if t.step(Action::Start, start_day, None) {
                self.reports(rng, &mut t.h, start_day, self.today);
            }
            return t.h;
        }
        // Done, on time or late, and confirmed by the monitor.
        let begin = start_day.max(t.last);
        let reported = match due_now {
            Some(d) => {
                let due_day = cal.next_working_day_from(d).unwrap_or(d);
                if rng.chance(0.72) && begin < due_day {
                    begin.add_days(rng.range(1, due_day.days_since(begin)))
                } else {
                    due_day.add_days(rng.range(1, 150))
                }
            }
            None => begin.add_days(rng.range(10, 300)),
        };
        if t.status == Status::ChuaThucHien && rng.chance(0.92) {
            t.step(Action::Start, begin, None);
        }
        if t.status == Status::DangThucHien {
            self.reports(rng, &mut t.h, begin, reported);
        }
        if !t.step(Action::ReportDone, reported, None) {
            return t.h;
        }
        let mut decided = later(reported, 1, 10, rng);
        if rng.chance(0.06) {
            let reason = RETURNED.to_owned();
            t.step(Action::Return { reason }, decided, Some(RETURNED));
            let again = later(decided, 5, 30, rng);
            if !t.step(Action::ReportDone, again, None) {
                return t.h;
            }
            decided = later(again, 1, 10, rng);
        }
        if t.step(Action::Confirm, decided, None) && rng.chance(0.5) {
            t.h.reports
                .push((reported, 100, Status::HoanThanh, FINAL_REPORT));
        }
        t.h
    }

    /// Progress reports of an agency at work on a task between `from` and `to`.
    fn reports(&self, rng: &mut Rng, h: &mut History, from: Date, to: Date) {
        if !rng.chance(0.35) {
            return;
        }
        let to = to.min(self.today.add_days(-1));
        let span = to.days_since(from);
        if span < 2 {
            return;
        }
        let mut days: Vec<i32> = (0..rng.range(1, 3)).map(|_| rng.range(1, span)).collect();
        days.sort_unstable();
        let mut percent = 0;
        for d in days {
            percent = (percent + rng.range(10, 40)).min(95);
            h.reports.push((
                from.add_days(d),
                i64::from(percent),
                Status::DangThucHien,
                *rng.pick(REPORTS),
            ));
        }
    }
}

/// Provincial bodies that lead tasks of any field now and then (not the Committee, the
/// Council or the Party, which issue rather than carry out).
const GENERAL_BODIES: &[&str] = &[
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Cục Thuế tỉnh",
    "Thuế tỉnh",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
];

const CANCELLED: &str =
    "Nhiệm vụ không còn phù hợp với tình hình thực tế theo chỉ đạo của Ủy ban nhân dân tỉnh";
const REFUSED: &str = "Nội dung nhiệm vụ không thuộc chức năng, nhiệm vụ của cơ quan";
const SUSPENDED: &str = "Tạm dừng để chờ hướng dẫn của bộ, ngành Trung ương";
const RETURNED: &str = "Báo cáo chưa thể hiện đầy đủ kết quả thực hiện, đề nghị bổ sung";
const EXTENDED: &str = "Điều chỉnh thời hạn theo ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh";
const FINAL_REPORT: &str = "Đã hoàn thành nhiệm vụ; kết quả đã báo cáo Ủy ban nhân dân tỉnh.";

/// A moment of `day` between `from` and `to` o'clock, Vietnam time.
fn moment(rng: &mut Rng, day: Date, from: u32, to: u32) -> Timestamp {
    let hour = from + rng.below(u64::from(to - from)) as u32;
    let minute = rng.below(60) as u32;
    Timestamp::in_vietnam(day, hour, minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_spread() {
        let mut a = Rng::derived(7, 0);
        let mut b = Rng::derived(7, 0);
        let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!((0..10).all(|v| xs.contains(&v)));
        let mut r = Rng::derived(1, 2);
        assert!((0..1000).all(|_| (3..=5).contains(&r.range(3, 5))));
    }

    #[test]
    fn validity_reads_years_and_months() {
        let p = Party {
            id: 1,
            name: String::new(),
            group: false,
            general: true,
            valid_from: Some("2025".into()),
            valid_to: Some("2025-06-30".into()),
            moves: Vec::new(),
        };
        assert!(!p.valid_on("2024-12-31"));
        assert!(p.valid_on("2025-01-01"));
        assert!(p.valid_on("2025-06-30"));
        assert!(!p.valid_on("2025-07-01"));
    }
}
