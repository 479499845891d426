"""Writes examples/messages/*.eml: realistic outbound messages written for this project.

Run once from the repository root after changing a template; the .eml files are committed, byte
for byte (CRLF unless the name says otherwise). Tokens are test-only tokens whose digests are in
examples/keyring.toml.
"""
import sys
from pathlib import Path

ACME = sys.argv[1]
GLOBEX = sys.argv[2]
UNKNOWN = sys.argv[3]
OUT = Path(__file__).parent / "messages"

M365 = f"""Received: from DM8PR12MB5432.namprd12.prod.outlook.example (2603:10b6:8:1bd::9) by
 SA1PR12MB8123.namprd12.prod.outlook.example with HTTPS; Wed, 3 Dec 2026 09:41:07
 +0000
Received: from DM6PR02CA0101.namprd02.prod.outlook.example (2603:10b6:5:1c4::19)
 by DM8PR12MB5432.namprd12.prod.outlook.example (2603:10b6:8:1bd::9) with
 Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8632.12; Wed, 3 Dec
 2026 09:41:06 +0000
Received: from DS1PEPF00017091.namprd03.prod.outlook.example
 (2603:10b6:5:1c4:cafe::a1) by DM6PR02CA0101.outlook.office365.example
 (2603:10b6:5:1c4::19) with Microsoft SMTP Server (version=TLS1_3,
 cipher=TLS_AES_256_GCM_SHA384) id 15.20.8632.12 via Frontend Transport; Wed, 3
 Dec 2026 09:41:06 +0000
ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.example; cv=none;
 b=kQ3mV0Ht9XbW2yZ8sPp1nR4eUc7LdFg5JhKa6TwYvBqMx0NzOiEr3SlCu9Dk2WjGt8HfAo1Pb
 4Ve7RyLs6QxZ0MnK3Jc9Uw5Ti2Hg8Fd1Sa4Eq7Wr0Yt3Ui6Op9Az2Sx5Dc8Fv1Gb4Hn7Jm0Kl3Q==
ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;
 d=microsoft.example; s=arcselector10001;
 h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-AntiSpam-MessageData-ChunkCount:X-MS-Exchange-AntiSpam-MessageData-0;
 bh=Vx3kP9mQ2wR7tY1uI5oA8sD4fG6hJ0kL2zX9cV3bN7M=;
 b=Hq8Lm2Nc5Vb1Xz7Qw4Er9Ty6Ui3Op0As2Df5Gh8Jk1Lz4Xc7Vb0Nm3Qw6Er9Ty2Ui5Op8As1Df
 4Gh7Jk0Lz3Xc6Vb9Nm2Qw5Er8Ty1Ui4Op7As0Df3Gh6Jk9Lz2Xc5Vb8Nm1Qw4Er7Ty0Ui3Op6==
ARC-Authentication-Results: i=1; mx.microsoft.example 1; spf=pass
 smtp.mailfrom=acme.example; dmarc=pass action=none header.from=acme.example;
 dkim=pass header.d=acme.example; arc=none
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=acme.example;
 s=selector1; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;
 bh=Vx3kP9mQ2wR7tY1uI5oA8sD4fG6hJ0kL2zX9cV3bN7M=;
 b=Tz4Yx1Wv8Ut5Sr2Qp9On6Ml3Kj0Ih7Gf4Ed1Cb8Az5Yx2Wv9Ut6Sr3Qp0On7Ml4Kj1Ih8Gf5Ed
 2Cb9Az6Yx3Wv0Ut7Sr4Qp1On8Ml5Kj2Ih9Gf6Ed3Cb0Az7Yx4Wv1Ut8Sr5Qp2On9Ml6Kj3Ih0==
Authentication-Results: dkim=none (message not signed)
 header.d=none;dmarc=none action=none header.from=acme.example;
From: Priya Raman <priya.raman@acme.example>
To: "Ops Team" <ops@partner.example>
Subject: Shipment schedule for week 50
Thread-Topic: Shipment schedule for week 50
Thread-Index: AdtkQm3VfJp8xQ9YRkCqW0n2bT7uEw==
Date: Wed, 3 Dec 2026 09:41:05 +0000
Message-ID:
 <DM8PR12MB54321B2C3D4E5F60718293A4B5C6D7E8F9@DM8PR12MB5432.namprd12.prod.outlook.example>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
X-MS-Exchange-Organization-SCL: 1
X-MS-PublicTrafficType: Email
X-MS-TrafficTypeDiagnostic: DM8PR12MB5432:EE_|SA1PR12MB8123:EE_
X-MS-Office365-Filtering-Correlation-Id: 4f6e2a1c-93b7-4d2e-a8c1-7b0f5e3d9a21
X-MS-Exchange-SenderADCheck: 1
X-MS-Exchange-AntiSpam-Relay: 0
X-Microsoft-Antispam: BCL:0;ARA:13230040|1800799024|366016|376014;
X-Vipre-Tenant-Key: {ACME}
X-MS-Exchange-AntiSpam-MessageData-ChunkCount: 1
X-MS-Exchange-AntiSpam-MessageData-0:
 dGhpcyBpcyBub3QgcmVhbCBhbnRpc3BhbSBkYXRhLCBpdCBpcyBhbiBleGFtcGxlIGZvciB0aGUg
 b3V0Ym91bmQtdG9rZW4gcHJvamVjdA==
X-OriginatorOrg: acme.example
X-MS-Exchange-CrossTenant-OriginalArrivalTime: 03 Dec 2026 09:41:05.8812 (UTC)
X-MS-Exchange-CrossTenant-FromEntityHeader: Hosted
X-MS-Exchange-CrossTenant-Id: 7c1d4e2a-5b3f-4a60-9e8d-2f1c0b6a7d93
X-MS-Exchange-Transport-CrossTenantHeadersStamped: SA1PR12MB8123
Content-Type: multipart/alternative;
	boundary="_000_DM8PR12MB54321B2C3D4E5F60_"
MIME-Version: 1.0

--_000_DM8PR12MB54321B2C3D4E5F60_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hi team,

The week 50 shipments leave the Rotterdam warehouse on Tuesday and Thursday=
. Pallet counts are in the shared sheet.

Thanks,
Priya

--_000_DM8PR12MB54321B2C3D4E5F60_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
=3Dus-ascii"></head><body><p>Hi team,</p><p>The week 50 shipments leave the=
 Rotterdam warehouse on Tuesday and Thursday. Pallet counts are in the shar=
ed sheet.</p><p>Thanks,<br>Priya</p></body></html>

--_000_DM8PR12MB54321B2C3D4E5F60_--
"""

GOOGLE = f"""DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=globex.example; s=google; t=1764754921; x=1765359721;
        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject
         :date:message-id:reply-to;
        bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
        b=Rk4nV8mQ1zX5cB9vN3mL7kJ2hG6fD0sA4pO8iU1yT5rE9wQ3zX7cV1bN5mK9jH3g
         F7dS1aP5oI9uY3tR7eW1qZ5xC9vB3nM7lK1jH5gF9dS3aP7oI1uY5tR9eW3qZ==
X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=1e100.example; s=20230601; t=1764754921; x=1765359721;
        h=to:subject:message-id:date:from:mime-version:x-gm-message-state
         :from:to:cc:subject:date:message-id:reply-to;
        bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;
        b=Pq2Wr5Ty8Ui1Op4As7Df0Gh3Jk6Lz9Xc2Vb5Nm8Qw1Er4Ty7Ui0Op3As6Df9Gh2J
         k5Lz8Xc1Vb4Nm7Qw0Er3Ty6Ui9Op2As5Df8Gh1Jk4Lz7Xc0Vb3Nm6Qw9Er2T==
X-Gm-Message-State: AOJu0YwT3kV9mQ2zX6cB1vN8mL4kJ7hG0fD3sA6pO9iU2yT5rE8wQ1z
	X4cV7bN0mK3jH6gF9dS2aP5oI8uY1tR4eW7qZ0xC3vB6nM9lK2jH5gF8dS1aP4
X-Google-Smtp-Source: AGHT+IFq7Wm2Xn9Yc4Vb1Nz6Qa3Sd8Fg5Hj0Kl7Zx2Cv9Bn4Mq1We6Rt3Yu8Io5Pa0Sd
X-Received: by 2002:a05:6402:4013:b0:5f0:1a2b:3c4d with SMTP id
 4fb4d7f45d1cf-5f01a2b3c4dmr1234567a12.41.1764754921345; Wed, 03 Dec 2026
 01:42:01 -0800 (PST)
MIME-Version: 1.0
From: Tomasz Wierzbicki <tomasz@globex.example>
Date: Wed, 3 Dec 2026 10:41:50 +0100
Message-ID: <CAKx9Qm3Vn8Zp1Lw5Rt2Yu7Io4Pa0Sd6Fg9Hj3Kl1Zx8Cv5Bn2Mq@mail.gmail.example>
Subject: Re: Invoice 2026-1187
To: Accounts <accounts@supplier.example>
X-Vipre-Tenant-Key: {GLOBEX}
Content-Type: multipart/alternative; boundary="0000000000009f3c1a0625b4e7d1"

--0000000000009f3c1a0625b4e7d1
Content-Type: text/plain; charset="UTF-8"

Thanks, the invoice is approved and will be paid on the 15th.

Tomasz

--0000000000009f3c1a0625b4e7d1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Thanks, the invoice is approved and will be paid on the 15th.<div><br></div><div>Tomasz</div></div>

--0000000000009f3c1a0625b4e7d1--
"""

LF_ONLY = f"""Received: from build01.acme.example (build01.acme.example [198.51.100.23])
	by smtp.acme.example (Postfix) with ESMTPS id 4dLq2X0kR3z9
	for <oncall@acme.example>; Wed,  3 Dec 2026 09:50:12 +0000 (UTC)
From: Build Robot <ci@acme.example>
To: oncall@acme.example
Subject: nightly build 8841 passed
Date: Wed, 03 Dec 2026 09:50:11 +0000
Message-ID: <20261203095011.8841@build01.acme.example>
X-Vipre-Tenant-Key: {ACME}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

All 1,204 tests passed in 14m 03s.
"""

TWICE = f"""Received: from mail-out.acme.example (mail-out.acme.example [198.51.100.40])
	by relay.example.net with ESMTPS id 7Kp3Qw; Wed, 3 Dec 2026 10:02:44 +0000
X-Vipre-Tenant-Key: {ACME}
From: Sales <sales@acme.example>
To: buyer@customer.example
Subject: Your quote Q-55210
Date: Wed, 3 Dec 2026 10:02:41 +0000
Message-ID: <q55210.1764756161@acme.example>
X-Vipre-Tenant-Key: {GLOBEX}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Please find the quote below. Two provider rules stamped this message, one with
another tenant's token, so the relay rejects it as ambiguous.
"""

MISSING = """Received: from mail-out.acme.example (mail-out.acme.example [198.51.100.40])
	by relay.example.net with ESMTPS id 9Hd2Zx; Wed, 3 Dec 2026 10:05:10 +0000
From: Newsletter <news@acme.example>
To: subscriber@customer.example
Subject: December product update
Date: Wed, 3 Dec 2026 10:05:09 +0000
Message-ID: <news.202612.0001@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This message was sent by a mailbox the provider rule does not cover.
"""

FORWARDED = f"""Received: from mail-out.acme.example (mail-out.acme.example [198.51.100.40])
	by relay.example.net with ESMTPS id 2Wq8Er; Wed, 3 Dec 2026 10:11:31 +0000
From: Priya Raman <priya.raman@acme.example>
To: Legal <legal@partner.example>
Subject: Fwd: Contract draft v3
Date: Wed, 3 Dec 2026 10:11:29 +0000
Message-ID: <fwd.contract.v3@acme.example>
X-Vipre-Tenant-Key: {ACME}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-boundary-7731"

--fwd-boundary-7731
Content-Type: text/plain; charset=us-ascii

Forwarding the earlier message as an attachment.

--fwd-boundary-7731
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Contract draft v3.eml"

From: Priya Raman <priya.raman@acme.example>
To: Counsel <counsel@acme.example>
Subject: Contract draft v3
Date: Tue, 2 Dec 2026 16:20:00 +0000
Message-ID: <contract.v3@acme.example>
X-Vipre-Tenant-Key: {ACME}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Draft v3 attached to the ticket. The token field above sits inside the
attachment: the relay strips only the outer header section, so this copy
keeps it (inspect reports it as a leak).

--fwd-boundary-7731--
"""

UNKNOWN_MSG = f"""Received: from mail-out.initech.example (mail-out.initech.example [203.0.113.9])
	by relay.example.net with ESMTPS id 5Ty6Ui; Wed, 3 Dec 2026 10:20:02 +0000
From: Bill <bill@initech.example>
To: peter@customer.example
Subject: TPS reports
Date: Wed, 3 Dec 2026 10:20:01 +0000
Message-ID: <tps.0042@initech.example>
X-Vipre-Tenant-Key: {UNKNOWN}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

This tenant is not in the keyring yet.
"""

TRUNCATED = f"""From: Priya Raman <priya.raman@acme.example>
To: ops@partner.example
Subject: Re: Shipment schedule
Date: Wed, 3 Dec 2026 10:31:00 +0000
Message-ID: <re.shipment.50@acme.example>
X-Vipre-Tenant-Key: {ACME[:30]}
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The provider rule was saved with the token cut short while pasting.
"""


def write(name, text, eol="\r\n"):
    (OUT / name).write_bytes(text.replace("\n", eol).encode())


OUT.mkdir(exist_ok=True)
write("m365-outbound.eml", M365)
write("google-workspace.eml", GOOGLE)
write("lf-only.eml", LF_ONLY, eol="\n")
write("header-twice.eml", TWICE)
write("no-header.eml", MISSING)
write("forwarded-attachment.eml", FORWARDED)
write("unknown-tenant.eml", UNKNOWN_MSG)
write("truncated-token.eml", TRUNCATED)
