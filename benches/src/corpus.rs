//! Generated messages, each with exactly one token field whose place is recorded as it is
//! written, so the peers can be checked against known answers rather than against each other.

use std::ops::Range;

use outbound_token::DEFAULT_HEADER;

/// One generated message and what a correct scanner must find in it.
#[derive(Debug, Clone)]
pub struct Message {
    /// The raw message, CRLF line endings throughout.
    pub bytes: Vec<u8>,
    /// The byte range of the token field, line ending included: what strip removes.
    pub token_span: Range<usize>,
    /// The token field's value, as the scanner should report it.
    pub token: String,
    /// How many header fields the message has.
    pub fields: usize,
    /// How many lines the header section has (the empty line not included).
    pub header_lines: usize,
    /// The offset of the empty line that ends the header section.
    pub header_end: usize,
}

impl Message {
    /// The message with the token field cut out: what a correct strip returns.
    pub fn stripped(&self) -> Vec<u8> {
        let mut out = self.bytes.clone();
        out.drain(self.token_span.clone());
        out
    }
}

/// A named set of messages, timed together: one benchmark iteration handles all of them.
#[derive(Debug, Clone)]
pub struct Case {
    /// The benchmark id, e.g. `typical` or `fields_5000`.
    pub name: String,
    /// The messages.
    pub messages: Vec<Message>,
}

impl Case {
    /// The total size of the messages, for `Throughput::Bytes`.
    pub fn bytes(&self) -> u64 {
        self.messages.iter().map(|m| m.bytes.len() as u64).sum()
    }

    fn one(name: String, message: Message) -> Case {
        Case {
            name,
            messages: vec![message],
        }
    }
}

/// Every case the throughput benches run, in table order.
pub fn all(token: &str) -> Vec<Case> {
    vec![
        typical(token),
        Case::one("body_10k".into(), body(token, 10 * 1024)),
        Case::one("body_10m".into(), body(token, 10 * 1024 * 1024)),
        Case::one("fields_500".into(), many_fields(token, 500)),
        Case::one("fields_5000".into(), many_fields(token, 5000)),
        Case::one("folded_1000".into(), folded(token, 1000)),
        Case::one("folded_10000".into(), folded(token, 10_000)),
    ]
}

/// Twenty typical outbound messages, Microsoft 365 and Google Workspace alternately: 25 to 40
/// fields each, bodies from 2 to 20 KB.
pub fn typical(token: &str) -> Case {
    let messages = (0..20)
        .map(|i| {
            let body = 2048 + (i * 7919) % (18 * 1024);
            if i % 2 == 0 {
                m365(token, i, body)
            } else {
                google(token, i, body)
            }
        })
        .collect();
    Case {
        name: "typical".into(),
        messages,
    }
}

/// A Microsoft 365 message (after examples/messages/m365-outbound.eml) with a body of
/// `body_len` bytes.
pub fn body(token: &str, body_len: usize) -> Message {
    m365(token, 0, body_len)
}

/// A message with `fields` fields: a few real ones, relay trace fields, and the token field
/// second to last.
pub fn many_fields(token: &str, fields: usize) -> Message {
    let mut m = Builder::default();
    m.field("From", &["Priya Raman <priya.raman@acme.example>"]);
    m.field("To", &["\"Ops Team\" <ops@partner.example>"]);
    m.field("Subject", &["Shipment schedule for week 50"]);
    m.field("Date", &["Wed, 3 Dec 2026 09:41:05 +0000"]);
    for k in 0..fields.saturating_sub(6) {
        let value = format!("hop={k}; by=relay{k}.acme.example; id={:016x}", mix(k));
        m.field(&format!("X-Relay-Trace-{k}"), &[&value]);
    }
    m.token(token);
    m.field("Content-Type", &["text/plain; charset=utf-8"]);
    m.finish(1024)
}

/// A message whose `X-Long-Trace` field spans `lines` lines (one first line and `lines - 1`
/// continuation lines), followed by the token field.
pub fn folded(token: &str, lines: usize) -> Message {
    let mut m = Builder::default();
    m.field("From", &["Priya Raman <priya.raman@acme.example>"]);
    m.field("To", &["\"Ops Team\" <ops@partner.example>"]);
    m.field("Subject", &["One very long field"]);
    let continuation: Vec<String> = (1..lines)
        .map(|k| {
            format!(
                "\tsegment={k}; digest={:016x}{:016x}",
                mix(k),
                mix(k + lines)
            )
        })
        .collect();
    let mut value = vec!["start"];
    value.extend(continuation.iter().map(String::as_str));
    m.field("X-Long-Trace", &value);
    m.token(token);
    m.field("MIME-Version", &["1.0"]);
    m.finish(1024)
}

/// A Microsoft 365 outbound message: 30 to 39 fields.
fn m365(token: &str, i: usize, body_len: usize) -> Message {
    let mut m = Builder::default();
    for hop in 0..3 {
        m.field(
            "Received",
            &[
                &format!(
                    "from DM{hop}PR12MB{:04}.namprd12.prod.outlook.example (2603:10b6:8:1bd::9)",
                    mix(i + hop) % 10_000
                ),
                " by SA1PR12MB8123.namprd12.prod.outlook.example with Microsoft SMTP Server",
                " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8632.12;",
                " Wed, 3 Dec 2026 09:41:06 +0000",
            ],
        );
    }
    m.field(
        "ARC-Seal",
        &[
            "i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.example; cv=none;",
            " b=kQ3mV0Ht9XbW2yZ8sPp1nR4eUc7LdFg5JhKa6TwYvBqMx0NzOiEr3SlCu9Dk2WjGt8HfAo1Pb",
            " 4Ve7RyLs6QxZ0MnK3Jc9Uw5Ti2Hg8Fd1Sa4Eq7Wr0Yt3Ui6Op9Az2Sx5Dc8Fv1Gb4Hn7Jm0Kl3Q==",
        ],
    );
    m.field("ARC-Message-Signature", &SIGNATURE);
    m.field(
        "ARC-Authentication-Results",
        &[
            "i=1; mx.microsoft.example 1; spf=pass",
            " smtp.mailfrom=acme.example; dmarc=pass action=none header.from=acme.example;",
            " dkim=pass header.d=acme.example; arc=none",
        ],
    );
    m.field("DKIM-Signature", &SIGNATURE);
    m.field(
        "Authentication-Results",
        &[
            "dkim=none (message not signed)",
            " header.d=none;dmarc=none action=none header.from=acme.example;",
        ],
    );
    m.field("From", &["Priya Raman <priya.raman@acme.example>"]);
    m.field("To", &["\"Ops Team\" <ops@partner.example>"]);
    m.field(
        "Subject",
        &[&format!("Shipment schedule for week {}", 1 + i % 52)],
    );
    m.field("Thread-Topic", &["Shipment schedule"]);
    m.field("Thread-Index", &["AdtkQm3VfJp8xQ9YRkCqW0n2bT7uEw=="]);
    m.field("Date", &["Wed, 3 Dec 2026 09:41:05 +0000"]);
    m.field(
        "Message-ID",
        &[
            "",
            &format!(
                " <DM8PR12MB5432{:016X}@DM8PR12MB5432.namprd12.prod.outlook.example>",
                mix(i)
            ),
        ],
    );
    m.field("Accept-Language", &["en-US"]);
    m.field("Content-Language", &["en-US"]);
    m.field("X-MS-Has-Attach", &[""]);
    m.field("X-MS-TNEF-Correlator", &[""]);
    m.field("X-MS-Exchange-Organization-SCL", &["1"]);
    m.field("X-MS-PublicTrafficType", &["Email"]);
    m.field(
        "X-MS-TrafficTypeDiagnostic",
        &["DM8PR12MB5432:EE_|SA1PR12MB8123:EE_"],
    );
    m.field(
        "X-MS-Office365-Filtering-Correlation-Id",
        &["4f6e2a1c-93b7-4d2e-a8c1-7b0f5e3d9a21"],
    );
    m.field("X-MS-Exchange-SenderADCheck", &["1"]);
    m.field("X-MS-Exchange-AntiSpam-Relay", &["0"]);
    m.field(
        "X-Microsoft-Antispam",
        &["BCL:0;ARA:13230040|1800799024|366016|376014;"],
    );
    for k in 0..i % 10 {
        m.field(
            &format!("X-MS-Exchange-CrossTenant-Field{k}"),
            &[&format!("{:016x}-{:08x}", mix(i * 31 + k), k)],
        );
    }
    m.token(token);
    m.field("Content-Type", &["text/plain; charset=\"us-ascii\""]);
    m.field("MIME-Version", &["1.0"]);
    m.finish(body_len)
}

/// A Google Workspace outbound message: 29 to 38 fields.
fn google(token: &str, i: usize, body_len: usize) -> Message {
    let mut m = Builder::default();
    m.field("DKIM-Signature", &SIGNATURE);
    m.field("X-Google-DKIM-Signature", &SIGNATURE);
    m.field(
        "X-Gm-Message-State",
        &[
            "AOJu0YwT3kV9mQ2zX6cB1vN8mL4kJ7hG0fD3sA6pO9iU2yT5rE8wQ1z",
            "\tX4cV7bN0mK3jH6gF9dS2aP5oI8uY1tR4eW7qZ0xC3vB6nM9lK2jH5gF8dS1aP4",
        ],
    );
    m.field(
        "X-Google-Smtp-Source",
        &["AGHT+IFq7Wm2Xn9Yc4Vb1Nz6Qa3Sd8Fg5Hj0Kl7Zx2Cv9Bn4Mq1We6Rt3Yu8Io5Pa0Sd"],
    );
    m.field(
        "X-Received",
        &[
            "by 2002:a05:6402:4013:b0:5f0:1a2b:3c4d with SMTP id",
            &format!(
                " 4fb4d7f45d1cf-{:x}mr1234567a12.41.1764754921345; Wed, 03 Dec 2026",
                mix(i)
            ),
            " 01:42:01 -0800 (PST)",
        ],
    );
    m.field("ARC-Seal", &SIGNATURE[..3]);
    m.field("ARC-Message-Signature", &SIGNATURE);
    m.field(
        "ARC-Authentication-Results",
        &[
            "i=1; mx.google.example;",
            "       dkim=pass header.i=@globex.example",
        ],
    );
    m.field("Return-Path", &["<tomasz@globex.example>"]);
    for hop in 0..3 {
        m.field(
            "Received",
            &[
                &format!("from mail-sor-f{hop}.google.example (mail-sor-f{hop}.google.example. [209.85.220.{hop}])"),
                "        by mx.google.example with SMTPS id a640c23a62f3a-ab7c8e2b1f0sor1234567a12.3.2026.12.03",
                "        for <accounts@supplier.example>;",
                "        Wed, 03 Dec 2026 01:42:01 -0800 (PST)",
            ],
        );
    }
    m.field(
        "Received-SPF",
        &["pass (google.example: domain of tomasz@globex.example designates 209.85.220.41 as permitted sender)"],
    );
    m.field(
        "Authentication-Results",
        &[
            "mx.google.example;",
            "       spf=pass smtp.mailfrom=tomasz@globex.example",
        ],
    );
    m.field("MIME-Version", &["1.0"]);
    m.field(
        "References",
        &["<CAKx9Qm3Vn8Zp1Lw5Rt2Yu7Io4Pa0Sd6Fg9Hj3Kl1Zx8Cv5Bn2Mq@mail.gmail.example>"],
    );
    m.field(
        "In-Reply-To",
        &["<CAKx9Qm3Vn8Zp1Lw5Rt2Yu7Io4Pa0Sd6Fg9Hj3Kl1Zx8Cv5Bn2Mq@mail.gmail.example>"],
    );
    m.field("From", &["Tomasz Wierzbicki <tomasz@globex.example>"]);
    m.field("Date", &["Wed, 3 Dec 2026 10:41:50 +0100"]);
    m.field(
        "Message-ID",
        &[&format!(
            "<CAKx9Qm3Vn8Zp1L{:016x}@mail.gmail.example>",
            mix(i)
        )],
    );
    m.field("Subject", &[&format!("Re: Invoice 2026-{}", 1000 + i)]);
    m.field("To", &["Accounts <accounts@supplier.example>"]);
    m.field("Cc", &["Finance <finance@globex.example>"]);
    for k in 0..i % 10 {
        m.field(
            &format!("X-Gm-Gg-{k}"),
            &[&format!("ASbGnc{:016x}{:016x}", mix(i * 17 + k), mix(k))],
        );
    }
    m.token(token);
    m.field(
        "Content-Type",
        &["multipart/alternative; boundary=\"0000000000009f3c1a0625b4e7d1\""],
    );
    m.finish(body_len)
}

/// A long folded signature field's value lines, the first without its leading space.
const SIGNATURE: [&str; 5] = [
    "v=1; a=rsa-sha256; c=relaxed/relaxed; d=acme.example; s=selector1;",
    " h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;",
    " bh=Vx3kP9mQ2wR7tY1uI5oA8sD4fG6hJ0kL2zX9cV3bN7M=;",
    " b=Tz4Yx1Wv8Ut5Sr2Qp9On6Ml3Kj0Ih7Gf4Ed1Cb8Az5Yx2Wv9Ut6Sr3Qp0On7Ml4Kj1Ih8Gf5Ed",
    " 2Cb9Az6Yx3Wv0Ut7Sr4Qp1On8Ml5Kj2Ih9Gf6Ed3Cb0Az7Yx4Wv1Ut8Sr5Qp2On9Ml6Kj3Ih0==",
];

/// A cheap deterministic mixer (SplitMix64's finalizer), for varied but repeatable values.
fn mix(k: usize) -> u64 {
    let mut z = (k as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Writes a message field by field and records what a scanner must find.
#[derive(Default)]
struct Builder {
    out: Vec<u8>,
    fields: usize,
    lines: usize,
    token: Option<(Range<usize>, String)>,
}

impl Builder {
    /// `name: lines[0]` and each further line as a continuation line (they start with WSP).
    fn field(&mut self, name: &str, lines: &[&str]) {
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b":");
        for (n, line) in lines.iter().enumerate() {
            if n == 0 && !line.is_empty() {
                self.out.push(b' ');
            }
            self.out.extend_from_slice(line.as_bytes());
            self.out.extend_from_slice(b"\r\n");
        }
        self.fields += 1;
        self.lines += lines.len().max(1);
    }

    fn token(&mut self, token: &str) {
        let start = self.out.len();
        self.field(DEFAULT_HEADER, &[token]);
        self.token = Some((start..self.out.len(), token.to_owned()));
    }

    /// Ends the header section and adds `body_len` bytes of base64-looking body lines.
    fn finish(mut self, body_len: usize) -> Message {
        let header_end = self.out.len();
        self.out.extend_from_slice(b"\r\n");
        let line =
            b"QWxsIHdvcmsgYW5kIG5vIHBsYXkgbWFrZXMgSmFjayBhIGR1bGwgYm95LiBBbGwgd29yayBhbmQg\r\n";
        let body_start = self.out.len();
        while self.out.len() < body_start + body_len {
            let take = (body_start + body_len - self.out.len()).min(line.len());
            self.out.extend_from_slice(&line[..take]);
        }
        let (token_span, token) = self.token.unwrap_or_default();
        Message {
            bytes: self.out,
            token_span,
            token,
            fields: self.fields,
            header_lines: self.lines,
            header_end,
        }
    }
}
