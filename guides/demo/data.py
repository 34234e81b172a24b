"""Demo content for two fictional help centers.

Read by ``guides.demo.loader`` (``manage.py load_demo``). Everything here is
plain Python data: no Django imports, no side effects at import time.

Shape, per tenant (see the loader for how each key is used):

- ``carriers``: slug, translated ``name`` / ``description``, ``website`` and
  ``channels`` (kind, label, value, opening_hours). A step's ``channel`` is an
  index into the channels list of the article's carrier.
- ``card_types``: slug with translated ``name`` / ``description``.
- ``articles``: translated fields, ordered ``steps``, ``requirements``,
  ``tips``, ``faqs``, a ``status`` ("published" or "draft") and an optional
  ``history``: later edits applied through the services, one revision each.

Translated values are dicts keyed by language code ("zh-hans", "en"). The
brands, the transit card company and its hotline are fictional. The only links
in the text point at the carriers' official websites listed in ``website``.
"""

# ---------------------------------------------------------------------------
# Tenant "acme": 卡易通, a reseller of SIM, data, transit and bank cards.
# ---------------------------------------------------------------------------

# Channel indices, used by the steps below:
#   china-mobile:     0 hotline, 1 app, 2 website, 3 store, 4 SMS
#   china-unicom:     0 hotline, 1 app, 2 website, 3 store
#   china-telecom:    0 hotline, 1 app, 2 website, 3 store
#   citypass-transit: 0 hotline, 1 website, 2 store, 3 app
ACME_CARRIERS = [
    {
        "slug": "china-mobile",
        "name": {"zh-hans": "中国移动", "en": "China Mobile"},
        "description": {
            "zh-hans": "中国移动通信集团，提供手机号码、流量卡、eSIM 和家庭宽带等服务。客服热线 10086。",
            "en": (
                "China Mobile Communications Group: mobile numbers, data cards, eSIM "
                "and home broadband. Customer hotline 10086."
            ),
        },
        "website": "https://www.10086.cn",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "客服热线", "en": "Customer hotline"},
                "value": "10086",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
            {
                "kind": "app",
                "label": {"zh-hans": "中国移动 APP", "en": "China Mobile app"},
                "value": "中国移动 APP",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "website",
                "label": {"zh-hans": "中国移动官网", "en": "China Mobile website"},
                "value": "https://www.10086.cn",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {
                    "zh-hans": "中国移动自有营业厅",
                    "en": "China Mobile own-brand store",
                },
                "value": "各地中国移动自有营业厅 / China Mobile own-brand stores",
                "opening_hours": {
                    "zh-hans": "一般为 9:00–18:00，各营业厅略有不同",
                    "en": "Usually 9:00–18:00; hours vary by store",
                },
            },
            {
                "kind": "sms",
                "label": {"zh-hans": "短信营业厅", "en": "SMS service"},
                "value": "10086",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
        ],
    },
    {
        "slug": "china-unicom",
        "name": {"zh-hans": "中国联通", "en": "China Unicom"},
        "description": {
            "zh-hans": "中国联合网络通信集团，提供手机号码、流量卡、eSIM 和宽带服务。客服热线 10010。",
            "en": (
                "China United Network Communications Group: mobile numbers, data cards, "
                "eSIM and broadband. Customer hotline 10010."
            ),
        },
        "website": "https://www.10010.com",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "客服热线", "en": "Customer hotline"},
                "value": "10010",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
            {
                "kind": "app",
                "label": {"zh-hans": "中国联通 APP", "en": "China Unicom app"},
                "value": "中国联通 APP",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "website",
                "label": {
                    "zh-hans": "中国联通网上营业厅",
                    "en": "China Unicom online service hall",
                },
                "value": "https://www.10010.com",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {
                    "zh-hans": "中国联通自有营业厅",
                    "en": "China Unicom own-brand store",
                },
                "value": "各地中国联通自有营业厅 / China Unicom own-brand stores",
                "opening_hours": {
                    "zh-hans": "一般为 9:00–18:00，各营业厅略有不同",
                    "en": "Usually 9:00–18:00; hours vary by store",
                },
            },
        ],
    },
    {
        "slug": "china-telecom",
        "name": {"zh-hans": "中国电信", "en": "China Telecom"},
        "description": {
            "zh-hans": "中国电信集团，提供手机号码、5G 套餐、宽带和固话服务。客服热线 10000。",
            "en": (
                "China Telecom Corporation: mobile numbers, 5G plans, broadband and "
                "landlines. Customer hotline 10000."
            ),
        },
        "website": "https://www.189.cn",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "客服热线", "en": "Customer hotline"},
                "value": "10000",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
            {
                "kind": "app",
                "label": {"zh-hans": "中国电信 APP", "en": "China Telecom app"},
                "value": "中国电信 APP",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "website",
                "label": {
                    "zh-hans": "中国电信网上营业厅",
                    "en": "China Telecom online service hall",
                },
                "value": "https://www.189.cn",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {
                    "zh-hans": "中国电信自有营业厅",
                    "en": "China Telecom own-brand store",
                },
                "value": "各地中国电信自有营业厅 / China Telecom own-brand stores",
                "opening_hours": {
                    "zh-hans": "一般为 9:00–18:00，各营业厅略有不同",
                    "en": "Usually 9:00–18:00; hours vary by store",
                },
            },
        ],
    },
    {
        "slug": "citypass-transit",
        "name": {"zh-hans": "城市通卡公司", "en": "CityPass Transit Card Co."},
        "description": {
            "zh-hans": (
                "城市通卡的发卡和服务机构（演示用虚构公司），负责公交、地铁通用卡的"
                "发售、充值、挂失和退卡。"
            ),
            "en": (
                "Issuer of the CityPass card for buses and the metro (a fictional company "
                "for this demo). Handles sales, top-ups, loss reports and card returns."
            ),
        },
        "website": "https://transit.example.com",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "城市通卡客服热线", "en": "CityPass hotline"},
                "value": "96000",
                "opening_hours": {
                    "zh-hans": "每天 8:00–20:00",
                    "en": "Daily 8:00–20:00",
                },
            },
            {
                "kind": "website",
                "label": {"zh-hans": "城市通卡官网", "en": "CityPass website"},
                "value": "https://transit.example.com",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {
                    "zh-hans": "城市通卡服务网点",
                    "en": "CityPass service point",
                },
                "value": "地铁站客服中心及城市通卡服务网点 / Metro station service centres and CityPass service points",
                "opening_hours": {
                    "zh-hans": "每天 9:00–17:00（节假日以网点公告为准）",
                    "en": "Daily 9:00–17:00 (public holidays as posted at each point)",
                },
            },
            {
                "kind": "app",
                "label": {"zh-hans": "城市通卡 APP", "en": "CityPass app"},
                "value": "城市通卡 APP",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
        ],
    },
]

ACME_CARD_TYPES = [
    {
        "slug": "prepaid-10-day",
        "name": {"zh-hans": "10日卡", "en": "Prepaid 10-day card"},
        "description": {
            "zh-hans": "有效期约 10 天的短期预付费手机卡，适合出差、旅行或临时使用。",
            "en": "A short-term prepaid SIM valid for about ten days, for trips or temporary use.",
        },
    },
    {
        "slug": "prepaid-card",
        "name": {"zh-hans": "预付费卡", "en": "Prepaid card"},
        "description": {
            "zh-hans": "先充值后使用的手机卡，话费从账户余额中扣除，没有固定合约期。",
            "en": "A pay-as-you-go SIM: charges come out of the balance you top up, with no fixed contract.",
        },
    },
    {
        "slug": "data-card",
        "name": {"zh-hans": "流量卡", "en": "Data-only card"},
        "description": {
            "zh-hans": "以上网流量为主的手机卡，常用于随身 Wi-Fi、平板或备用手机，通话和短信功能有限。",
            "en": "A SIM for mobile data, used in pocket Wi-Fi routers, tablets or a spare phone; calls and SMS are limited.",
        },
    },
    {
        "slug": "5g-card",
        "name": {"zh-hans": "5G卡", "en": "5G card"},
        "description": {
            "zh-hans": "开通 5G 套餐的手机卡，常与合约、宽带或家庭套餐一起办理。",
            "en": "A SIM on a 5G plan, often sold with a contract, home broadband or a family bundle.",
        },
    },
    {
        "slug": "esim",
        "name": {"zh-hans": "eSIM", "en": "eSIM"},
        "description": {
            "zh-hans": "写入手机、手表或平板内置芯片的电子 SIM 卡，没有实体卡片，通过运营商下载配置文件开通。",
            "en": "An embedded SIM in a phone, watch or tablet: no plastic card, the carrier provides a profile to download.",
        },
    },
    {
        "slug": "transit-card",
        "name": {"zh-hans": "公交卡", "en": "Transit card"},
        "description": {
            "zh-hans": "乘坐公交、地铁使用的储值卡，购卡时通常需要支付押金。",
            "en": "A stored-value card for buses and the metro; buying one usually includes a deposit.",
        },
    },
    {
        "slug": "bank-card",
        "name": {"zh-hans": "银行卡", "en": "Bank card"},
        "description": {
            "zh-hans": "借记卡或信用卡。开卡时会登记预留手机号，用于接收验证码和交易提醒。",
            "en": "A debit or credit card. The bank keeps a registered phone number for verification codes and alerts.",
        },
    },
]

ACME_ARTICLES = [
    # -- China Mobile, prepaid 10-day card (with a revision history) ---------
    {
        "slug": "cancel-china-mobile-prepaid-10-day-card",
        "carrier": "china-mobile",
        "card_type": "prepaid-10-day",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国移动 10 日卡",
            "en": "How to cancel a China Mobile prepaid 10-day card",
        },
        "summary": {
            "zh-hans": "10 日卡到期后号码不会自动注销，需要机主本人申请销户。",
            "en": "A 10-day card is not closed when it expires: the holder has to ask for cancellation.",
        },
        "introduction": {
            "zh-hans": (
                "10 日卡是一种短期预付费手机卡，常用于出差、旅行或临时接收验证码。"
                "有效期结束后，号码通常先停机并进入保留期，这段时间里它仍然实名登记在您的名下。"
                "为避免号码被冒用或继续产生费用，不再使用时建议主动办理销户。"
            ),
            "en": (
                "A prepaid 10-day card is a short-term SIM for business trips, travel or "
                "receiving a few verification codes. When it runs out, the number is usually "
                "suspended and then held for a while, and during that time it is still "
                "registered in your name. Cancel it yourself once you no longer need it, so "
                "nobody can misuse the number and no further charges arise."
            ),
        },
        "estimated_time": {"zh-hans": "约 20 分钟", "en": "About 20 minutes"},
        "fee_note": {
            "zh-hans": "销户本身免费。账户中的充值余额可以申请退还，赠送的话费和活动款一般不退。",
            "en": (
                "Cancelling is free. Money you topped up can be refunded; bonus credit "
                "and promotional credit usually cannot."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "确认号码可以销户",
                    "en": "Check that the number can be cancelled",
                },
                "body": {
                    "zh-hans": (
                        "登录中国移动 APP，查看号码的余额、账单和已订业务，确认：\n\n"
                        "- 没有欠费；\n"
                        "- 没有未到期的合约、分期或靓号协议；\n"
                        "- 已退订增值业务，并解除了与银行卡、支付软件和社交账号的绑定。"
                    ),
                    "en": (
                        "Open the China Mobile app and look at the balance, bills and "
                        "subscriptions. Make sure that:\n\n"
                        "- nothing is unpaid;\n"
                        "- no contract, instalment plan or special-number agreement is still running;\n"
                        "- value-added services are cancelled and the number is no longer linked "
                        "to bank cards, payment apps or social accounts."
                    ),
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {"zh-hans": "准备材料", "en": "Prepare your documents"},
                "body": {
                    "zh-hans": (
                        "预付费卡销户一般要求**机主本人**办理。请带上：\n\n"
                        "- 办卡时登记的有效身份证件原件；\n"
                        "- 10 日卡的 SIM 卡（如果还在手上）；\n"
                        "- 需要退还余额时，准备好本人的银行卡或收款账户。"
                    ),
                    "en": (
                        "Cancelling a prepaid card is normally done by **the registered holder "
                        "in person**. Bring:\n\n"
                        "- the original ID document used when the card was registered;\n"
                        "- the 10-day card's SIM, if you still have it;\n"
                        "- your own bank card or account details if a balance is to be refunded."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "拨打 10086 确认办理方式",
                    "en": "Call 10086 to confirm how to apply",
                },
                "body": {
                    "zh-hans": (
                        "拨打 **10086** 转人工服务，说明要为 10 日卡办理销户。客服核实身份后，"
                        "会告诉您当地是否支持线上办理，或者需要到哪家营业厅办理。"
                    ),
                    "en": (
                        "Call **10086**, ask for an agent and say you want to cancel a prepaid "
                        "10-day card. After checking your identity, the agent tells you whether "
                        "your province accepts online requests or which store to visit."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "在营业厅提交销户申请",
                    "en": "Submit the request at a store",
                },
                "body": {
                    "zh-hans": (
                        "到中国移动**自有营业厅**出示身份证件，填写销户申请并签字确认。"
                        "办理完成后请索取受理单或业务单号。部分省份也支持在中国移动 APP 中搜索“销户”在线提交。"
                    ),
                    "en": (
                        "At a China Mobile **own-brand store**, show your ID, fill in the "
                        "cancellation form and sign it. Ask for the receipt or the request "
                        "number. Some provinces also accept the request in the China Mobile app: "
                        "search for “销户” (cancel number)."
                    ),
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {"zh-hans": "等待审核", "en": "Wait for the review"},
                "body": {
                    "zh-hans": (
                        "销户申请一般需要 **1–7 个工作日**审核。期间号码可能已经停机，"
                        "可以用其他电话拨打 10086 并提供受理单号查询进度。"
                    ),
                    "en": (
                        "The review usually takes **1–7 working days**. The number may already "
                        "be suspended, so use another phone to call 10086 and quote your request "
                        "number if you want to follow up."
                    ),
                },
                "channel": None,
                "duration_minutes": None,
            },
            {
                "title": {
                    "zh-hans": "确认已销户，销毁 SIM 卡并领取余额",
                    "en": "Confirm the cancellation, destroy the SIM and collect the balance",
                },
                "body": {
                    "zh-hans": (
                        "可在[中国移动官网](https://www.10086.cn)或拨打 10086 确认号码状态为“已销户”。"
                        "确认后将 SIM 卡剪断销毁。如有余额，按营业厅告知的方式领取退款。"
                    ),
                    "en": (
                        "Check on the [China Mobile website](https://www.10086.cn) or by calling "
                        "10086 that the number shows as cancelled. Then cut the SIM card in half. "
                        "Collect any balance refund the way the store told you."
                    ),
                },
                "channel": 2,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码没有欠费，也没有未到期的合约或分期业务。",
                    "en": "The number has no unpaid bills and no running contract or instalment plan.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "已解除号码与银行卡、支付软件和社交账号的绑定。",
                    "en": "The number is no longer linked to bank cards, payment apps or social accounts.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "10 日卡的 SIM 卡（如果还在手上）。",
                    "en": "The 10-day card's SIM, if you still have it.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": (
                        "10086 客服和营业厅工作人员不会索要短信验证码。任何人以“帮您销户”"
                        "“退还余额”为由要求提供验证码或先转账，都是诈骗。"
                    ),
                    "en": (
                        "10086 agents and store staff never ask for SMS verification codes. "
                        "Anyone who wants a code or a transfer to “cancel your card” or "
                        "“refund your balance” is a fraudster."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "保留销户受理单或业务单号，直到余额退还到账为止。",
                    "en": "Keep the receipt or request number until the refund has reached you.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "10 日卡到期后不管它，会自动注销吗？",
                    "en": "If I leave the 10-day card alone, will it close by itself?",
                },
                "answer": {
                    "zh-hans": (
                        "通常不会立即注销。号码到期后一般先停机，再经过一段保留期才可能被回收，"
                        "这期间仍登记在您的名下。主动销户更稳妥。"
                    ),
                    "en": (
                        "Not right away. An expired number is usually suspended first and only "
                        "reclaimed after a holding period, and it stays registered to you until "
                        "then. Cancelling it yourself is the safer choice."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "可以请别人代办吗？",
                    "en": "Can someone else cancel it for me?",
                },
                "answer": {
                    "zh-hans": (
                        "一般需要机主本人办理。个别地区接受代办，需要携带**双方**的身份证件原件和授权委托书，"
                        "请先拨打 10086 确认当地规定。"
                    ),
                    "en": (
                        "Normally the holder must apply in person. Some regions accept a proxy "
                        "with **both** people's original IDs and a signed authorisation; call "
                        "10086 first to check the local rules."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "余额多久能退回来？",
                    "en": "How long does the balance refund take?",
                },
                "answer": {
                    "zh-hans": "充值余额通常在销户完成后退还，具体时间和方式以营业厅告知为准。赠送话费一般不退。",
                    "en": (
                        "Topped-up credit is usually refunded after the cancellation is "
                        "complete; the store tells you how and when. Bonus credit is not refunded."
                    ),
                },
            },
        ],
        "history": [
            {
                "comment": "Clarify review time",
                "fields": {
                    "estimated_time": {
                        "zh-hans": "约 20 分钟，审核 1–7 个工作日",
                        "en": "About 20 minutes; review takes 1–7 working days",
                    },
                },
            },
            {
                "comment": "Mention channels and the balance refund in the summary",
                "fields": {
                    "summary": {
                        "zh-hans": (
                            "10 日卡到期后号码不会自动注销。本文介绍如何通过 10086、中国移动 APP "
                            "或营业厅申请销户，并领取剩余话费。"
                        ),
                        "en": (
                            "An expired 10-day card is not cancelled automatically. This guide shows "
                            "how to cancel it through 10086, the China Mobile app or a store, and "
                            "how to get the remaining balance back."
                        ),
                    },
                },
            },
        ],
    },
    # -- China Mobile, eSIM --------------------------------------------------
    {
        "slug": "deregister-china-mobile-esim",
        "carrier": "china-mobile",
        "card_type": "esim",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国移动 eSIM",
            "en": "How to deregister a China Mobile eSIM",
        },
        "summary": {
            "zh-hans": "在设备上删除 eSIM 并不等于销号。本文说明如何向中国移动申请注销 eSIM 号码或手表副号。",
            "en": (
                "Deleting an eSIM from your device does not cancel the number. Here is how to "
                "ask China Mobile to deregister an eSIM number or a watch companion number."
            ),
        },
        "introduction": {
            "zh-hans": (
                "eSIM 没有实体卡片，号码信息以配置文件的形式写入手机、手表或平板。"
                "常见的有两类：一类是独立的 eSIM 号码；另一类是手表等设备上的“一号双终端”服务，"
                "与手机共用同一个号码。两者的注销方式不同，办理前请先分清楚。"
            ),
            "en": (
                "An eSIM has no plastic card: the number lives in a profile stored on a phone, "
                "watch or tablet. There are two common cases: a stand-alone eSIM number, and a "
                "“one number, two devices” service that lets a watch share your phone's number. "
                "They are cancelled differently, so work out which one you have first."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 30 分钟，审核 1–7 个工作日",
            "en": "About 30 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "注销免费。取消手表副号服务后，当月功能费一般按月计收，不按天退还。",
            "en": (
                "Deregistering is free. After a watch companion service is cancelled, that "
                "month's fee is normally charged in full, not pro rata."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "分清要注销的是哪种 eSIM",
                    "en": "Work out which kind of eSIM you have",
                },
                "body": {
                    "zh-hans": (
                        "- **独立 eSIM 号码**：有自己的手机号，需要办理销户；\n"
                        "- **手表副号（一号双终端）**：与手机共用号码，只需取消该服务，手机主号不受影响。\n\n"
                        "不确定时，可以在设备的“蜂窝网络”或手表配套 APP 中查看号码信息。"
                    ),
                    "en": (
                        "- **Stand-alone eSIM number**: it has its own phone number and needs a "
                        "full cancellation;\n"
                        "- **Watch companion (one number, two devices)**: it shares your phone's "
                        "number; only the service is cancelled and your phone number keeps working.\n\n"
                        "If you are unsure, look at the number under “Mobile data” on the device "
                        "or in the watch's companion app."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "检查欠费和合约",
                    "en": "Check for unpaid bills and contracts",
                },
                "body": {
                    "zh-hans": "在中国移动 APP 中查看账单和已订业务，结清欠费，确认没有未到期的合约或优惠协议。",
                    "en": (
                        "In the China Mobile app, look at the bills and subscriptions, pay "
                        "anything outstanding and make sure no contract or discount agreement is still running."
                    ),
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "准备证件和设备",
                    "en": "Prepare your ID and the device",
                },
                "body": {
                    "zh-hans": "带上机主本人的身份证件原件，以及装有 eSIM 的设备。注销手表副号时，还需要带上与手表配对的手机。",
                    "en": (
                        "Bring the holder's original ID and the device with the eSIM. For a "
                        "watch companion number, also bring the phone the watch is paired with."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "通过 10086 申请注销",
                    "en": "Apply through 10086",
                },
                "body": {
                    "zh-hans": (
                        "拨打 **10086**，说明要注销 eSIM 号码或取消手表副号服务。"
                        "手表副号通常可以直接在电话中或 APP 中取消；独立 eSIM 号码销户一般需要本人到营业厅办理，客服会告诉您具体地点。"
                    ),
                    "en": (
                        "Call **10086** and say you want to deregister an eSIM number or cancel "
                        "a watch companion service. A companion service can often be cancelled on "
                        "the phone or in the app; a stand-alone eSIM number usually has to be "
                        "cancelled in person at a store, and the agent will tell you where."
                    ),
                },
                "channel": 0,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "等待审核并确认生效",
                    "en": "Wait for the review and confirm",
                },
                "body": {
                    "zh-hans": (
                        "审核一般需要 **1–7 个工作日**。完成后，可在[中国移动官网](https://www.10086.cn)"
                        "登录主号查看业务已取消，或拨打 10086 确认号码已销户。"
                    ),
                    "en": (
                        "The review usually takes **1–7 working days**. Afterwards, log in to "
                        "the [China Mobile website](https://www.10086.cn) with your main number "
                        "to see that the service is gone, or call 10086 to confirm the number is cancelled."
                    ),
                },
                "channel": 2,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "从设备中删除 eSIM 配置",
                    "en": "Delete the eSIM profile from the device",
                },
                "body": {
                    "zh-hans": (
                        "确认注销生效后，再在设备上删除 eSIM：手机一般在“设置 → 蜂窝网络”中选择该号码并删除；"
                        "手表在配套 APP 的“移动网络”中删除。**不要在生效前删除**，删除后的配置需要运营商重新下发才能恢复。"
                    ),
                    "en": (
                        "Only once the cancellation has taken effect, delete the eSIM: on a "
                        "phone usually under Settings → Mobile data, on a watch in the companion "
                        "app's mobile network page. **Do not delete it earlier**: a deleted "
                        "profile can only come back if the carrier issues a new one."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码没有欠费，也没有未到期的合约。",
                    "en": "The number has no unpaid bills and no running contract.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "装有 eSIM 的设备在手边；手表副号还需要配对的手机。",
                    "en": "You have the device with the eSIM; for a watch, also the paired phone.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "只在设备上删除 eSIM 不会注销号码，月租和功能费仍会继续扣除。",
                    "en": "Deleting the eSIM on the device does not cancel the number: monthly fees keep running.",
                },
            },
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "eSIM 激活码（二维码）和短信验证码相当于您的 SIM 卡，不要拍照发给任何人，包括自称客服的人。",
                    "en": (
                        "An eSIM activation code (QR code) and SMS verification codes are as good "
                        "as your SIM card. Never send them to anyone, including people who claim to be support staff."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "保留受理单号或业务取消短信，方便日后核对账单。",
                    "en": "Keep the request number or the cancellation SMS so you can check later bills.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "删除 eSIM 后还能恢复吗？",
                    "en": "Can I get an eSIM back after deleting it?",
                },
                "answer": {
                    "zh-hans": "号码未销户时，可以带身份证件到营业厅或按 APP 指引重新申请下载配置；号码销户后则无法恢复。",
                    "en": (
                        "If the number has not been cancelled, you can ask for a new profile at a "
                        "store with your ID or through the app. Once the number is cancelled, it cannot be restored."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "取消手表副号会影响手机主号吗？",
                    "en": "Does cancelling the watch companion number affect my phone number?",
                },
                "answer": {
                    "zh-hans": "不会。取消一号双终端只停止手表上的通话和上网服务。但如果注销的是手机主号，关联的手表服务也会一起停止。",
                    "en": (
                        "No. Cancelling the companion service only stops calls and data on the "
                        "watch. If you cancel the phone's main number, though, the watch service stops with it."
                    ),
                },
            },
        ],
        "history": [
            {
                "comment": "Warn about deleting the profile too early",
                "fields": {
                    "summary": {
                        "zh-hans": (
                            "在设备上删除 eSIM 并不等于销号。本文说明如何向中国移动申请注销 eSIM 号码或手表副号，"
                            "以及何时再删除设备上的配置。"
                        ),
                        "en": (
                            "Deleting an eSIM from your device does not cancel the number. Here is how "
                            "to ask China Mobile to deregister an eSIM number or a watch companion "
                            "number, and when to delete the profile from the device."
                        ),
                    },
                },
            },
        ],
    },
    # -- China Unicom, data-only card ----------------------------------------
    {
        "slug": "cancel-china-unicom-data-card",
        "carrier": "china-unicom",
        "card_type": "data-card",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国联通流量卡",
            "en": "How to cancel a China Unicom data-only card",
        },
        "summary": {
            "zh-hans": "网上买的联通流量卡不用了？先查清最低消费期和欠费，再通过 10010 或营业厅办理销户。",
            "en": (
                "Done with a China Unicom data card bought online? Check the minimum term and "
                "unpaid charges first, then cancel through 10010 or a store."
            ),
        },
        "introduction": {
            "zh-hans": (
                "流量卡多在网上渠道销售，常附带首月优惠、最低消费期或“保底”承诺。"
                "无论从哪里购买，号码都登记在中国联通，销户只能由中国联通受理。"
                "把卡拔出来闲置并不会停止扣费，欠费还可能影响个人信用记录。"
            ),
            "en": (
                "Data cards are mostly sold online, often with a first-month discount, a "
                "minimum term or a minimum monthly spend. Wherever you bought it, the number is "
                "registered with China Unicom, and only China Unicom can cancel it. Taking the "
                "card out of your router does not stop the monthly fee, and unpaid bills may "
                "end up on your credit record."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 30 分钟，审核 1–7 个工作日",
            "en": "About 30 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "销户免费。最低消费期未满时，可能需要补足剩余期限的费用或违约金，以中国联通核算为准。",
            "en": (
                "Cancelling is free. If the minimum term has not ended, you may have to pay "
                "the rest of it or a fee; China Unicom works out the amount."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查看套餐和最低消费期",
                    "en": "Look up the plan and its minimum term",
                },
                "body": {
                    "zh-hans": (
                        "登录中国联通 APP，在“我的套餐”或“已订业务”里查看：\n\n"
                        "- 套餐名称和月租；\n"
                        "- 是否有最低消费期、合约期及到期时间；\n"
                        "- 当前话费余额和是否欠费。"
                    ),
                    "en": (
                        "Log in to the China Unicom app and check, under your plan or "
                        "subscriptions:\n\n"
                        "- the plan name and monthly fee;\n"
                        "- any minimum term or contract and when it ends;\n"
                        "- the current balance and anything unpaid."
                    ),
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "结清费用并退订附加业务",
                    "en": "Settle charges and cancel add-ons",
                },
                "body": {
                    "zh-hans": "补缴欠费，退订流量加油包、视频会员等附加业务。如果合约期未满，先决定是等到期后再销户，还是接受违约金。",
                    "en": (
                        "Pay anything outstanding and cancel add-ons such as data boosters or "
                        "streaming memberships. If the contract has not ended, decide whether to "
                        "wait for it to end or to accept the early-termination fee."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {"zh-hans": "准备材料", "en": "Prepare your documents"},
                "body": {
                    "zh-hans": "准备机主本人的身份证件原件、流量卡本身，以及购卡时收到的订单号（如有）。",
                    "en": (
                        "Have the holder's original ID, the data card itself and, if you have "
                        "it, the order number from your purchase."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "拨打 10010 申请销户",
                    "en": "Call 10010 to request cancellation",
                },
                "body": {
                    "zh-hans": (
                        "用其他手机拨打 **10010**，转人工后报出流量卡号码，说明要办理销户。"
                        "客服会核实身份并告知能否远程办理；多数情况下需要到归属地或指定的自有营业厅办理。"
                    ),
                    "en": (
                        "From another phone, call **10010**, ask for an agent, give the data "
                        "card's number and say you want to cancel it. The agent checks your "
                        "identity and tells you whether it can be done remotely; usually you need "
                        "to visit an own-brand store in the province where the number was issued, "
                        "or a store they name."
                    ),
                },
                "channel": 0,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "在营业厅提交并等待审核",
                    "en": "Submit at a store and wait for review",
                },
                "body": {
                    "zh-hans": "在中国联通自有营业厅出示证件、签署销户申请，索取受理单。审核一般需要 **1–7 个工作日**。",
                    "en": (
                        "At a China Unicom own-brand store, show your ID, sign the cancellation "
                        "request and ask for the receipt. The review usually takes **1–7 working days**."
                    ),
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "确认销户并销毁卡片",
                    "en": "Confirm and destroy the card",
                },
                "body": {
                    "zh-hans": (
                        "审核完成后，可拨打 10010 或在[中国联通网上营业厅](https://www.10010.com)确认号码已注销。"
                        "随后剪断 SIM 卡；如有余额，按营业厅告知的方式申请退还。"
                    ),
                    "en": (
                        "After the review, confirm by calling 10010 or on the [China Unicom "
                        "website](https://www.10010.com) that the number is cancelled. Then cut "
                        "up the SIM and claim any remaining balance as the store explained."
                    ),
                },
                "channel": 2,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "没有欠费；最低消费期或合约期已结束，或同意支付违约金。",
                    "en": "Nothing is unpaid, and the minimum term has ended or you accept the fee.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "流量卡 SIM 卡，以及购卡订单号（如有）。",
                    "en": "The data card's SIM and, if available, your order number.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": (
                        "声称可以“代办销户”并收取服务费的网店或个人不可信。销户只能由中国联通办理，"
                        "也不要把短信验证码告诉任何人。"
                    ),
                    "en": (
                        "Do not trust shops or people offering to cancel the card for a fee. "
                        "Only China Unicom can cancel it, and nobody should ever get your SMS verification codes."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "在最低消费期结束后的下个月初办理，通常可以避免违约金。",
                    "en": "Applying early in the month after the minimum term ends usually avoids any fee.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "卡是在网店买的，可以找网店退吗？",
                    "en": "I bought the card from an online shop. Can the shop cancel it?",
                },
                "answer": {
                    "zh-hans": "网店只负责销售，号码登记在中国联通。请联系 10010 或到中国联通自有营业厅办理销户。",
                    "en": (
                        "The shop only sold it; the number is registered with China Unicom. "
                        "Contact 10010 or visit a China Unicom own-brand store."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "不在归属地，能办理销户吗？",
                    "en": "Can I cancel it outside the province where it was issued?",
                },
                "answer": {
                    "zh-hans": "部分地区支持异地销户，但并非所有套餐都可以。请先拨打 10010 确认，再前往营业厅，避免白跑一趟。",
                    "en": (
                        "Some regions accept out-of-province cancellations, but not for every "
                        "plan. Call 10010 first so you do not make a wasted trip."
                    ),
                },
            },
        ],
    },
    # -- China Telecom, 5G card ----------------------------------------------
    {
        "slug": "cancel-china-telecom-5g-card",
        "carrier": "china-telecom",
        "card_type": "5g-card",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国电信 5G 卡",
            "en": "How to cancel a China Telecom 5G card",
        },
        "summary": {
            "zh-hans": "5G 套餐常与合约、宽带或家庭成员绑定。销户前先拆分这些关联，再到营业厅办理。",
            "en": (
                "5G plans are often tied to a contract, home broadband or family members. "
                "Separate those first, then cancel at a store."
            ),
        },
        "introduction": {
            "zh-hans": (
                "中国电信的 5G 卡常以融合套餐的形式办理：手机号是主卡，宽带、副卡和家庭成员挂在它下面。"
                "直接注销主卡可能导致宽带和副卡一起停用，所以要先弄清楚套餐结构。"
            ),
            "en": (
                "China Telecom 5G cards are often part of a bundle: the mobile number is the "
                "main line, and broadband, extra SIMs and family members hang off it. "
                "Cancelling the main line can switch those off too, so find out how your plan "
                "is put together first."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 40 分钟，审核 1–7 个工作日",
            "en": "About 40 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "销户免费。合约期内销户可能需要退还购机补贴或支付违约金；光猫等租用设备需归还。",
            "en": (
                "Cancelling is free. During a contract you may have to repay a handset "
                "subsidy or pay a fee, and rented equipment such as the broadband modem must be returned."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查清套餐结构和合约",
                    "en": "Find out how your plan is built",
                },
                "body": {
                    "zh-hans": (
                        "在中国电信 APP 中查看：\n\n"
                        "- 是否为融合套餐，下面有没有宽带、固话或副卡；\n"
                        "- 合约期、购机补贴或“存费送费”协议的到期时间；\n"
                        "- 是否有欠费。"
                    ),
                    "en": (
                        "In the China Telecom app, check:\n\n"
                        "- whether it is a bundle with broadband, a landline or extra SIMs;\n"
                        "- when any contract, handset subsidy or prepaid-credit deal ends;\n"
                        "- whether anything is unpaid."
                    ),
                },
                "channel": 1,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "拨打 10000 咨询拆分方案",
                    "en": "Call 10000 about separating the bundle",
                },
                "body": {
                    "zh-hans": (
                        "拨打 **10000**，说明要注销 5G 主卡，询问宽带和副卡如何处理："
                        "可以转到其他号码名下继续使用，也可以一并注销。客服会告知需要携带的材料和合约违约金额。"
                    ),
                    "en": (
                        "Call **10000**, say you want to cancel the 5G main line and ask what "
                        "happens to the broadband and extra SIMs: they can move to another "
                        "number or be cancelled too. The agent tells you what to bring and any "
                        "early-termination amount."
                    ),
                },
                "channel": 0,
                "duration_minutes": 15,
            },
            {
                "title": {"zh-hans": "准备材料", "en": "Prepare your documents"},
                "body": {
                    "zh-hans": (
                        "- 机主本人身份证件原件；\n"
                        "- 5G 卡 SIM 卡；\n"
                        "- 如同时注销宽带：光猫、机顶盒等租用设备；\n"
                        "- 副卡转户时：新机主的身份证件原件。"
                    ),
                    "en": (
                        "- the holder's original ID;\n"
                        "- the 5G SIM card;\n"
                        "- if broadband is cancelled too: the rented modem, set-top box and other equipment;\n"
                        "- if an extra SIM moves to someone else: the new holder's original ID."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "到营业厅提交销户申请",
                    "en": "Submit the request at a store",
                },
                "body": {
                    "zh-hans": "到中国电信自有营业厅，先办理副卡和宽带的拆分或注销，再办理主卡销户。签字前核对违约金和退费金额，并索取受理单。",
                    "en": (
                        "At a China Telecom own-brand store, first move or cancel the extra "
                        "SIMs and broadband, then cancel the main line. Check the fee and refund "
                        "amounts before signing, and ask for the receipt."
                    ),
                },
                "channel": 3,
                "duration_minutes": 30,
            },
            {
                "title": {"zh-hans": "等待审核", "en": "Wait for the review"},
                "body": {
                    "zh-hans": "审核一般需要 **1–7 个工作日**，融合套餐拆分可能更久。期间宽带可能已停用，请提前做好安排。",
                    "en": (
                        "The review usually takes **1–7 working days**, longer when a bundle is "
                        "split. Broadband may stop in the meantime, so plan ahead."
                    ),
                },
                "channel": None,
                "duration_minutes": None,
            },
            {
                "title": {
                    "zh-hans": "确认生效并处理余额",
                    "en": "Confirm and settle the balance",
                },
                "body": {
                    "zh-hans": (
                        "拨打 10000 或登录[中国电信网上营业厅](https://www.189.cn)确认号码已注销，"
                        "核对最后一期账单。剪断 SIM 卡，如有余额，按受理单上的方式申请退还。"
                    ),
                    "en": (
                        "Call 10000 or log in to the [China Telecom website](https://www.189.cn) "
                        "to confirm the number is cancelled and check the final bill. Cut up the "
                        "SIM and claim any balance as described on your receipt."
                    ),
                },
                "channel": 2,
                "duration_minutes": 10,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "没有欠费；合约已到期，或同意支付违约金。",
                    "en": "Nothing is unpaid; the contract has ended or you accept the fee.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "已决定套餐下宽带和副卡的去留。",
                    "en": "You have decided what happens to the broadband and extra SIMs in the bundle.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件和 5G 卡 SIM 卡。",
                    "en": "The holder's original, valid ID and the 5G SIM card.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "不要相信自称电信客服、以“5G 套餐升级”或“销户退费”为名索要验证码或要求下载屏幕共享软件的电话。",
                    "en": (
                        "Hang up on callers who claim to be China Telecom staff and ask for a "
                        "verification code or a screen-sharing app for a “5G upgrade” or a “cancellation refund”."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "归还光猫等设备时请索取回执，以免日后被追缴设备费。",
                    "en": "Get a receipt when you return the modem, so you are not charged for it later.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "主卡注销后，家人的副卡还能用吗？",
                    "en": "Will my family's extra SIMs still work after I cancel the main line?",
                },
                "answer": {
                    "zh-hans": "不能直接保留在原套餐下。副卡可以在销户前转为独立号码或加入其他套餐，需要副卡机主本人到场。",
                    "en": (
                        "Not under the old plan. Before the cancellation, each extra SIM can "
                        "become a stand-alone number or join another plan; its holder must be present."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "合约期内一定不能销户吗？",
                    "en": "Is it impossible to cancel during a contract?",
                },
                "answer": {
                    "zh-hans": "可以销户，但需要按协议支付违约金或退还已享受的优惠。营业厅会在办理前告知具体金额。",
                    "en": (
                        "You can cancel, but you pay the fee set in the agreement or repay the "
                        "discounts you received. The store tells you the amount before you sign."
                    ),
                },
            },
        ],
    },
    # -- CityPass transit card -----------------------------------------------
    {
        "slug": "close-transit-card-and-get-refund",
        "carrier": "citypass-transit",
        "card_type": "transit-card",
        "status": "published",
        "title": {
            "zh-hans": "如何退城市通卡并取回押金和余额",
            "en": "How to return a CityPass transit card and get the deposit and balance back",
        },
        "summary": {
            "zh-hans": "不再乘坐公交地铁时，可以到服务网点退卡，押金和卡内余额都能退还。",
            "en": (
                "No longer riding the bus or metro? Return the card at a service point and "
                "get both the deposit and the remaining balance back."
            ),
        },
        "introduction": {
            "zh-hans": (
                "城市通卡分为记名卡和不记名卡。不记名卡凭卡办理，记名卡需要持卡人身份证件。"
                "卡面完好、芯片可读时，押金和余额一般当场退还；卡片损坏需要读取后台数据，退款时间会更长。"
            ),
            "en": (
                "CityPass cards are either registered to a name or anonymous. An anonymous "
                "card is returned with the card alone; a registered card also needs the "
                "holder's ID. If the card is intact and its chip can be read, the deposit and "
                "balance are usually refunded on the spot; a damaged card has to be checked "
                "against the back-office records, which takes longer."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 15 分钟；损坏卡退款需 7 个工作日",
            "en": "About 15 minutes; 7 working days for a damaged card",
        },
        "fee_note": {
            "zh-hans": "押金 20 元全额退还。卡面完好不收手续费；人为损坏的卡片不退押金。",
            "en": (
                "The 20-yuan deposit is refunded in full. Intact cards are returned free of "
                "charge; the deposit is kept for cards damaged by the holder."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查询卡内余额和卡片类型",
                    "en": "Check the balance and the card type",
                },
                "body": {
                    "zh-hans": "在城市通卡 APP 中用手机 NFC 贴卡读取，查看卡内余额、押金金额，以及是记名卡还是不记名卡。",
                    "en": (
                        "In the CityPass app, hold the card against your phone's NFC reader to "
                        "see the balance, the deposit, and whether the card is registered or anonymous."
                    ),
                },
                "channel": 3,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "卡片损坏或丢失时先致电客服",
                    "en": "If the card is damaged or lost, call first",
                },
                "body": {
                    "zh-hans": (
                        "拨打 **96000** 说明情况。记名卡丢失可以先挂失，冻结卡内余额；"
                        "卡片损坏的，客服会告知可受理损坏卡的网点。不记名卡丢失无法挂失。"
                    ),
                    "en": (
                        "Call **96000** and explain. A lost registered card can be reported so "
                        "its balance is frozen; for a damaged card, the agent tells you which "
                        "service points handle it. Anonymous cards cannot be reported lost."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {"zh-hans": "准备材料", "en": "Prepare what to bring"},
                "body": {
                    "zh-hans": (
                        "- 城市通卡本身；\n"
                        "- 记名卡：持卡人身份证件原件；\n"
                        "- 购卡或充值发票（如有），可用于核对押金。"
                    ),
                    "en": (
                        "- the CityPass card itself;\n"
                        "- registered card: the holder's original ID;\n"
                        "- the purchase or top-up invoice, if you have it, to check the deposit."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "到服务网点办理退卡",
                    "en": "Return the card at a service point",
                },
                "body": {
                    "zh-hans": (
                        "到地铁站客服中心或城市通卡服务网点，说明要退卡。工作人员读卡核验后，"
                        "当场退还押金和余额，并回收卡片。请当面核对金额并索取退卡凭证。"
                    ),
                    "en": (
                        "Go to a metro station service centre or a CityPass service point and "
                        "ask to return the card. After reading it, staff refund the deposit and "
                        "balance on the spot and keep the card. Check the amounts in front of "
                        "them and ask for a return slip."
                    ),
                },
                "channel": 2,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "损坏卡：等待审核后领取退款",
                    "en": "Damaged card: wait for the check and collect",
                },
                "body": {
                    "zh-hans": (
                        "卡片无法读取时，网点会登记并出具受理凭证，后台核对数据约需 **7 个工作日**。"
                        "到期后可凭受理凭证回到原网点领取，或在[城市通卡官网](https://transit.example.com)查询进度。"
                    ),
                    "en": (
                        "If the card cannot be read, the service point records it and gives you "
                        "a slip. Checking the records takes about **7 working days**. Then "
                        "collect the refund at the same point with your slip, or follow the "
                        "progress on the [CityPass website](https://transit.example.com)."
                    ),
                },
                "channel": 1,
                "duration_minutes": None,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "卡片没有处于挂失或黑名单状态（已挂失的记名卡请到补卡网点处理）。",
                    "en": "The card is not reported lost or blocked (take a reported registered card to a replacement point).",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "城市通卡；记名卡另需持卡人身份证件原件。",
                    "en": "The CityPass card; for a registered card, also the holder's original ID.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "损坏卡退款时的受理凭证。",
                    "en": "For a damaged card, the slip you were given when you handed it in.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "城市通卡客服不会通过电话或短信要求您提供银行卡号、验证码，也不会要求转账“解冻余额”。",
                    "en": (
                        "CityPass staff never ask for bank card numbers or verification codes by "
                        "phone or SMS, and never ask for a transfer to “unfreeze” a balance."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "手机里的“交通卡”不能到网点退，请在开卡的钱包 APP 中申请退卡，余额退回原支付账户。",
                    "en": (
                        "A transit card inside your phone cannot be returned at a service point: "
                        "refund it in the wallet app where you opened it, and the balance goes back to the original payment account."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "保留退卡凭证，直到确认款项到账。",
                    "en": "Keep the return slip until the money has arrived.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "在外地办的城市通卡，可以在本地退吗？",
                    "en": "Can I return a card bought in another city here?",
                },
                "answer": {
                    "zh-hans": "押金和余额需要到发卡城市的服务网点办理。互联互通卡在本地只能乘车和充值，不能退卡。",
                    "en": (
                        "Deposits and balances are refunded only in the city that issued the "
                        "card. Interoperable cards can be used and topped up here, but not returned."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "卡里余额很多，可以只退余额、保留卡片吗？",
                    "en": "Can I get only the balance back and keep the card?",
                },
                "answer": {
                    "zh-hans": "不可以。余额只能在退卡时一并退还；如果只是不想用了，可以把卡片留着，余额长期有效。",
                    "en": (
                        "No. The balance is refunded only together with the card. If you just "
                        "want to stop using it, you can keep the card: the balance does not expire."
                    ),
                },
            },
        ],
        "history": [
            {
                "comment": "State the deposit amount",
                "fields": {
                    "summary": {
                        "zh-hans": "不再乘坐公交地铁时，可以到服务网点退卡，20 元押金和卡内余额都能退还。",
                        "en": (
                            "No longer riding the bus or metro? Return the card at a service point "
                            "and get both the 20-yuan deposit and the remaining balance back."
                        ),
                    },
                },
            },
        ],
    },
    # -- Bank card linked to a phone number (generic) ------------------------
    {
        "slug": "cancel-bank-card-linked-to-phone-number",
        "carrier": None,
        "card_type": "bank-card",
        "status": "published",
        "title": {
            "zh-hans": "如何注销绑定了手机号的银行卡",
            "en": "How to cancel a bank card linked to your phone number",
        },
        "summary": {
            "zh-hans": "注销银行卡前，先结清余额、解除支付绑定和自动扣款，再处理预留手机号。",
            "en": (
                "Before cancelling a bank card, empty it, unlink it from payment apps and "
                "direct debits, and sort out the phone number registered with the bank."
            ),
        },
        "introduction": {
            "zh-hans": (
                "银行卡开卡时会登记一个预留手机号，用来接收验证码和交易提醒；同时，很多人用这张卡自动缴纳话费。"
                "注销银行卡和注销手机号会互相影响：先销号后销卡，可能收不到验证码；先销卡，话费自动扣款又会失败。"
                "本文适用于各家银行的借记卡，具体要求以开户银行为准。"
            ),
            "en": (
                "When you open a bank card, the bank registers a phone number for "
                "verification codes and alerts, and many people also pay their phone bill "
                "from the card automatically. Cancelling one affects the other: cancel the "
                "number first and you may miss the codes you need; cancel the card first and "
                "the phone bill's direct debit fails. This guide covers debit cards in general; "
                "your bank's own rules take precedence."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 1 小时，部分银行需 1–7 个工作日",
            "en": "About 1 hour; some banks take 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "借记卡销户一般免费。未到期的定期存款提前支取会损失部分利息。",
            "en": (
                "Closing a debit card is usually free. Withdrawing a fixed-term deposit "
                "early loses part of the interest."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "清点余额和关联产品",
                    "en": "Take stock of the balance and linked products",
                },
                "body": {
                    "zh-hans": (
                        "在银行 APP 中确认：\n\n"
                        "- 活期余额已转出；\n"
                        "- 没有未到期的定期存款、理财、基金或贷款；\n"
                        "- 没有信用卡自动还款从这张卡扣款。"
                    ),
                    "en": (
                        "In your bank's app, make sure that:\n\n"
                        "- the current-account balance has been moved out;\n"
                        "- no fixed-term deposit, investment product, fund or loan is still running;\n"
                        "- no credit card repayment is debited from this card."
                    ),
                },
                "channel": None,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "解除支付绑定和自动扣款",
                    "en": "Remove payment links and direct debits",
                },
                "body": {
                    "zh-hans": "在各支付软件、电商平台和运营商 APP 中解绑这张卡，取消话费、水电燃气、会员订阅等自动扣款，并为它们换绑新的付款方式。",
                    "en": (
                        "Unlink the card in payment apps, shopping sites and your carrier's app. "
                        "Cancel automatic payments for the phone bill, utilities and "
                        "subscriptions, and give them a new payment method."
                    ),
                },
                "channel": None,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "核对预留手机号",
                    "en": "Check the registered phone number",
                },
                "body": {
                    "zh-hans": (
                        "销卡当天需要用预留手机号接收验证码，请确保该号码**仍可正常使用**。"
                        "如果您同时打算注销这个手机号，请先把名下其他银行卡的预留手机号改成新号码，最后再销号。"
                    ),
                    "en": (
                        "On the day you close the card, the bank may send a code to the "
                        "registered number, so make sure it **still works**. If you also plan "
                        "to cancel that phone number, first move your other bank cards to a new "
                        "number, and cancel the old number last."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "带齐材料到银行柜台",
                    "en": "Go to a bank counter with your documents",
                },
                "body": {
                    "zh-hans": "携带本人身份证件原件和银行卡，到开户银行的网点柜台申请销户。一类账户一般需要本人到柜台办理，部分银行支持在任一网点办理。",
                    "en": (
                        "Take your original ID and the card to a branch of the issuing bank and "
                        "ask to close the account. Main (Class I) accounts usually have to be "
                        "closed in person at a counter; some banks accept any branch."
                    ),
                },
                "channel": None,
                "duration_minutes": 30,
            },
            {
                "title": {
                    "zh-hans": "确认销户并销毁卡片",
                    "en": "Confirm the closure and destroy the card",
                },
                "body": {
                    "zh-hans": "拿到销户回单后，把银行卡芯片和磁条剪断。如果银行需要审核，一般在 1–7 个工作日内完成，可在银行 APP 或致电银行客服确认账户状态。",
                    "en": (
                        "Once you have the closure slip, cut through the card's chip and "
                        "magnetic stripe. If the bank needs to review the request, that usually "
                        "takes 1–7 working days; check the account status in the bank's app or with its customer service."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "卡内余额已转出，没有未到期的存款、理财或贷款。",
                    "en": "The balance has been moved out and no deposit, investment or loan is still running.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "预留手机号仍能正常接收短信。",
                    "en": "The registered phone number can still receive SMS.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "本人身份证件原件和要注销的银行卡。",
                    "en": "Your original ID and the card you are closing.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "银行工作人员不会通过电话索要密码或验证码。自称“银行客服”要求您把钱转到“安全账户”的，一律是诈骗。",
                    "en": (
                        "Bank staff never ask for your PIN or a verification code on the phone. "
                        "Anyone calling as “bank support” who wants you to move money to a “safe account” is a fraudster."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "销户回单请至少保存一年，日后遇到账户纠纷时可作为凭证。",
                    "en": "Keep the closure slip for at least a year in case of a later dispute.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "预留手机号已经停用了，还能销卡吗？",
                    "en": "My registered phone number no longer works. Can I still close the card?",
                },
                "answer": {
                    "zh-hans": "可以。在柜台出示身份证件，先把预留手机号改成正在使用的号码，再办理销户。",
                    "en": (
                        "Yes. At the counter, show your ID, change the registered number to one "
                        "you use now, then close the account."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "银行卡长期不用，不去注销会怎样？",
                    "en": "What happens if I simply stop using the card?",
                },
                "answer": {
                    "zh-hans": "长期不动的账户可能被银行转为“睡眠户”或收取小额管理费，也更容易被不法分子冒用。不再使用时建议主动注销。",
                    "en": (
                        "Long-unused accounts may be made dormant or charged a small fee, and "
                        "they are easier for criminals to misuse. Close cards you no longer need."
                    ),
                },
            },
        ],
    },
    # -- China Mobile, port the number to another carrier --------------------
    {
        "slug": "port-china-mobile-number-to-another-carrier",
        "carrier": "china-mobile",
        "card_type": None,
        "status": "published",
        "title": {
            "zh-hans": "中国移动号码携号转网办理指南",
            "en": "How to port a China Mobile number to another carrier",
        },
        "summary": {
            "zh-hans": "想换运营商又不想换号码？先用短信查询是否符合携转条件、获取授权码，再到新运营商营业厅办理。",
            "en": (
                "Changing carrier but keeping your number? Check by SMS whether you are "
                "eligible, get an authorisation code, then sign up at the new carrier's store."
            ),
        },
        "introduction": {
            "zh-hans": (
                "携号转网是指保留原手机号码，把服务从一家运营商转到另一家。"
                "号码会从中国移动“携出”，在新运营商“携入”，原号码在中国移动的套餐、积分和赠送权益将失效。"
            ),
            "en": (
                "Number porting keeps your phone number while moving your service from one "
                "carrier to another. The number leaves China Mobile and joins the new "
                "carrier; your China Mobile plan, points and bonuses end."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 1 小时，携转一般 1–2 天完成",
            "en": "About 1 hour; the switch usually completes in 1–2 days",
        },
        "fee_note": {
            "zh-hans": "携号转网本身不收费。未到期的合约需要先解除，原账户余额可按约定方式退还。",
            "en": (
                "Porting is free. Any running contract has to be ended first, and the old "
                "account's balance is refunded as agreed."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "短信查询携转资格",
                    "en": "Check your eligibility by SMS",
                },
                "body": {
                    "zh-hans": (
                        "用要携出的号码发送短信 **CXXZ#身份证姓名#证件号码** 到 10086。"
                        "回复会列出不满足条件的项目，例如欠费、合约未到期或入网时间不足。"
                    ),
                    "en": (
                        "From the number you want to port, text **CXXZ#name on ID#ID number** "
                        "to 10086. The reply lists anything that stands in the way, such as "
                        "unpaid bills, a running contract or too short a time with China Mobile."
                    ),
                },
                "channel": 4,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "处理不满足条件的项目",
                    "en": "Clear whatever blocks the port",
                },
                "body": {
                    "zh-hans": "按短信提示补缴欠费、解除到期合约或退订相关业务。不清楚如何处理的，可以拨打 **10086** 咨询。",
                    "en": (
                        "Following the SMS, pay outstanding bills, end contracts that allow it "
                        "or cancel the services involved. If unsure, call **10086**."
                    ),
                },
                "channel": 0,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "获取携号转网授权码",
                    "en": "Get the porting authorisation code",
                },
                "body": {
                    "zh-hans": "满足条件后，发送短信 **SQXZ#身份证姓名#证件号码** 到 10086 获取授权码。授权码有有效期，请按短信提示尽快办理。",
                    "en": (
                        "Once eligible, text **SQXZ#name on ID#ID number** to 10086 to receive "
                        "an authorisation code. The code expires, so go ahead soon, as the SMS explains."
                    ),
                },
                "channel": 4,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "到新运营商营业厅办理携入",
                    "en": "Sign up at the new carrier's store",
                },
                "body": {
                    "zh-hans": "携带本人身份证件原件和授权码，到新运营商的自有营业厅办理携入，选择新套餐并领取新的 SIM 卡。",
                    "en": (
                        "Take your original ID and the authorisation code to an own-brand store "
                        "of the new carrier, choose a plan and collect the new SIM card."
                    ),
                },
                "channel": None,
                "duration_minutes": 30,
            },
            {
                "title": {
                    "zh-hans": "等待携转生效并换卡",
                    "en": "Wait for the switch and swap the SIM",
                },
                "body": {
                    "zh-hans": "携转通常在 1–2 天内完成，期间可能短暂没有信号。收到新运营商的生效短信后，换上新 SIM 卡并重启手机。",
                    "en": (
                        "The switch usually takes 1–2 days and the phone may briefly lose "
                        "signal. When the new carrier texts that it is done, put in the new SIM and restart the phone."
                    ),
                },
                "channel": None,
                "duration_minutes": None,
            },
            {
                "title": {
                    "zh-hans": "处理原账户余额和旧卡",
                    "en": "Settle the old balance and the old SIM",
                },
                "body": {
                    "zh-hans": "拨打 10086 确认原账户已结清，余额按约定方式退还。确认无误后剪断旧 SIM 卡。",
                    "en": (
                        "Call 10086 to confirm the old account is settled and the balance "
                        "refunded as agreed. Then cut up the old SIM."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码已实名登记在本人名下，且处于正常使用状态。",
                    "en": "The number is registered in your name and in normal service.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "没有欠费，没有未到期且不可解除的合约，入网时间满足要求（一般需满 120 天）。",
                    "en": (
                        "No unpaid bills, no contract that cannot be ended yet, and enough time "
                        "with China Mobile (usually at least 120 days)."
                    ),
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "本人身份证件原件和携号转网授权码。",
                    "en": "Your original ID and the porting authorisation code.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "授权码只在新运营商营业厅使用。不要把授权码或任何验证码告诉来电的“客服”，否则号码可能被他人转走。",
                    "en": (
                        "Only use the authorisation code at the new carrier's store. Never give "
                        "it or any verification code to a caller claiming to be support: your number could be ported away."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "携转前先确认新运营商在您常去的地方信号良好，再选择套餐。",
                    "en": "Before porting, make sure the new carrier has good coverage where you spend your time.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "携号转网后，绑定这个号码的银行卡和 APP 需要重新绑定吗？",
                    "en": "Do I need to relink bank cards and apps after porting?",
                },
                "answer": {
                    "zh-hans": "不需要。号码不变，验证码照常接收。个别业务（如运营商代扣）需要在新运营商重新开通。",
                    "en": (
                        "No. The number stays the same and codes keep arriving. A few services, "
                        "such as carrier billing, need to be set up again with the new carrier."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "携转以后还能转回中国移动吗？",
                    "en": "Can I move back to China Mobile later?",
                },
                "answer": {
                    "zh-hans": "可以，但需要在新运营商处再次满足携转条件，包括入网时间要求，流程与本文相同。",
                    "en": (
                        "Yes, once you meet the porting conditions at the new carrier, "
                        "including the minimum time; the process is the same as here."
                    ),
                },
            },
        ],
    },
    # -- China Unicom, replace a lost SIM card -------------------------------
    {
        "slug": "replace-lost-china-unicom-sim-card",
        "carrier": "china-unicom",
        "card_type": None,
        "status": "published",
        "title": {
            "zh-hans": "中国联通 SIM 卡丢失后如何挂失和补卡",
            "en": "How to report a lost China Unicom SIM card and get a replacement",
        },
        "summary": {
            "zh-hans": "手机或 SIM 卡丢了，先通过 10010 挂失停机，再带身份证到营业厅补卡，号码不变。",
            "en": (
                "Lost your phone or SIM? Suspend the number through 10010 first, then take "
                "your ID to a store for a replacement SIM with the same number."
            ),
        },
        "introduction": {
            "zh-hans": (
                "SIM 卡一旦落到别人手里，对方就可能用它接收验证码、登录您的支付和社交账号。"
                "所以丢卡后的第一件事是挂失停机，其次才是补卡。补卡后号码、套餐和余额都保持不变，旧卡自动失效。"
            ),
            "en": (
                "Whoever finds your SIM can use it to receive verification codes and get "
                "into your payment and social accounts. So the first thing to do is suspend "
                "the number; the replacement comes second. A replacement keeps your number, "
                "plan and balance, and the old card stops working."
            ),
        },
        "estimated_time": {
            "zh-hans": "挂失约 5 分钟，补卡约 20 分钟",
            "en": "About 5 minutes to suspend, 20 minutes to replace",
        },
        "fee_note": {
            "zh-hans": "挂失免费。补卡可能收取少量卡费，以营业厅告知为准。",
            "en": "Suspending is free. A small card fee may apply to the replacement; the store will tell you.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "立即挂失停机",
                    "en": "Suspend the number right away",
                },
                "body": {
                    "zh-hans": (
                        "用其他手机拨打 **10010**，选择挂失服务，按提示验证身份（服务密码或身份证信息），"
                        "申请挂失停机。也可以在家人手机上登录中国联通 APP 办理。"
                    ),
                    "en": (
                        "From another phone, call **10010**, choose the loss-report option, "
                        "verify your identity (service password or ID details) and ask for the "
                        "number to be suspended. You can also do it in the China Unicom app on a family member's phone."
                    ),
                },
                "channel": 0,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "保护绑定的账户",
                    "en": "Protect the linked accounts",
                },
                "body": {
                    "zh-hans": (
                        "- 修改支付软件、网上银行的登录密码；\n"
                        "- 如手机一起丢失，通过设备厂商的查找功能锁定或抹掉手机；\n"
                        "- 必要时致电银行临时冻结快捷支付。"
                    ),
                    "en": (
                        "- change the passwords of payment apps and online banking;\n"
                        "- if the phone is gone too, lock or erase it with the manufacturer's find-my-device service;\n"
                        "- if needed, ask your bank to freeze quick payments for now."
                    ),
                },
                "channel": None,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "准备补卡材料",
                    "en": "Prepare for the replacement",
                },
                "body": {
                    "zh-hans": "带上机主本人的身份证件原件。如需他人代办，请先拨打 10010 确认当地是否允许以及所需材料。",
                    "en": (
                        "Bring the holder's original ID. If someone else must go for you, call "
                        "10010 first to check whether that is allowed locally and what they need."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {"zh-hans": "到营业厅补卡", "en": "Get a new SIM at a store"},
                "body": {
                    "zh-hans": "到中国联通自有营业厅说明要补卡。工作人员核验身份后为您写入新卡，旧卡随即失效。请索取业务受理单。",
                    "en": (
                        "Tell a China Unicom own-brand store you need a replacement SIM. After "
                        "checking your ID, staff issue a new card and the old one stops working. Ask for the receipt."
                    ),
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "插卡并确认恢复使用",
                    "en": "Insert the card and check service",
                },
                "body": {
                    "zh-hans": (
                        "插入新卡并重启手机，拨打电话、收发短信、打开移动数据进行测试。"
                        "如果号码仍是停机状态，拨打 10010 或在营业厅申请解除挂失。"
                    ),
                    "en": (
                        "Insert the new card, restart the phone and test a call, an SMS and "
                        "mobile data. If the number is still suspended, call 10010 or ask the store to lift the suspension."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码实名登记在本人名下。",
                    "en": "The number is registered in your name.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "电话挂失时需要知道服务密码，或能回答身份核验问题。",
                    "en": "To suspend by phone, you need the service password or must answer identity questions.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "丢卡后常有人冒充客服来电，称可以“远程补卡”并索要验证码。补卡只能在营业厅当面办理，不要透露任何验证码。",
                    "en": (
                        "After a loss, fraudsters often call pretending to be support and offer "
                        "a “remote replacement” in exchange for a code. Replacements are only "
                        "done in person at a store; never share any code."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "保留挂失时的通话时间和补卡受理单，万一发生盗刷，这些是重要证据。",
                    "en": "Note the time of your loss report and keep the replacement receipt: they are key evidence if someone misuses the number.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "补卡后号码里的话费还在吗？",
                    "en": "Is my balance still there after the replacement?",
                },
                "answer": {
                    "zh-hans": "在。补卡只更换 SIM 卡，号码、套餐、余额和积分都不变。",
                    "en": "Yes. Only the SIM changes; your number, plan, balance and points stay the same.",
                },
            },
            {
                "question": {
                    "zh-hans": "找回了旧卡，还能用吗？",
                    "en": "I found the old card. Can I still use it?",
                },
                "answer": {
                    "zh-hans": "补卡后旧卡永久失效，请剪断销毁。如果还没有补卡，可以拨打 10010 解除挂失，继续使用旧卡。",
                    "en": (
                        "Not after a replacement: the old card is dead, so cut it up. If you "
                        "have not replaced it yet, call 10010 to lift the suspension and keep using it."
                    ),
                },
            },
        ],
    },
    # -- China Unicom, eSIM --------------------------------------------------
    {
        "slug": "deregister-china-unicom-esim",
        "carrier": "china-unicom",
        "card_type": "esim",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国联通 eSIM",
            "en": "How to deregister a China Unicom eSIM",
        },
        "summary": {
            "zh-hans": "注销联通 eSIM 要先在运营商侧销户或取消服务，确认生效后再从设备中删除配置文件。",
            "en": (
                "To deregister a China Unicom eSIM, cancel it with the carrier first and "
                "delete the profile from the device only after that has taken effect."
            ),
        },
        "introduction": {
            "zh-hans": (
                "中国联通 eSIM 可用于手机、智能手表和平板。设备上的“删除 eSIM”只会移除配置文件，"
                "号码和套餐仍在计费。本文按“先销号、后删卡”的顺序说明整个流程。"
            ),
            "en": (
                "China Unicom eSIMs work in phones, smartwatches and tablets. “Delete eSIM” on "
                "the device only removes the profile; the number and plan keep billing. This "
                "guide follows the safe order: cancel the number first, delete the profile afterwards."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 30 分钟，审核 1–7 个工作日",
            "en": "About 30 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "注销免费。当月套餐费一般按整月收取。",
            "en": "Deregistering is free. The current month's plan fee is usually charged in full.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "核对 eSIM 号码和账单",
                    "en": "Check the eSIM number and its bills",
                },
                "body": {
                    "zh-hans": "在中国联通 APP 中找到这个 eSIM 号码，查看是否欠费、有无合约，以及它是独立号码还是主卡下的附属号码。",
                    "en": (
                        "Find the eSIM number in the China Unicom app and check for unpaid "
                        "bills, contracts, and whether it is a stand-alone number or attached to a main line."
                    ),
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "解绑并结清费用",
                    "en": "Unlink the number and settle charges",
                },
                "body": {
                    "zh-hans": "补缴欠费，退订附加业务，并把用这个号码注册的账号改绑到其他手机号。",
                    "en": (
                        "Pay what is due, cancel add-ons and move any accounts registered with "
                        "this number to another phone number."
                    ),
                },
                "channel": None,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "拨打 10010 预约办理",
                    "en": "Call 10010 to arrange the cancellation",
                },
                "body": {
                    "zh-hans": "拨打 **10010**，说明要注销 eSIM 号码。附属号码通常可以直接取消；独立号码需要本人携带证件和设备到营业厅办理。",
                    "en": (
                        "Call **10010** and say you want to deregister an eSIM number. An "
                        "attached number can often be cancelled straight away; a stand-alone "
                        "number needs you at a store with your ID and the device."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "在营业厅提交申请",
                    "en": "Submit the request at a store",
                },
                "body": {
                    "zh-hans": "到中国联通自有营业厅，出示身份证件和设备，签署销户申请并索取受理单。审核一般需要 **1–7 个工作日**。",
                    "en": (
                        "At a China Unicom own-brand store, show your ID and the device, sign "
                        "the request and keep the receipt. The review usually takes **1–7 working days**."
                    ),
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "确认生效后删除 eSIM",
                    "en": "Delete the eSIM once it has taken effect",
                },
                "body": {
                    "zh-hans": (
                        "在[中国联通网上营业厅](https://www.10010.com)或拨打 10010 确认号码已注销，"
                        "再在设备的“蜂窝网络”或手表配套 APP 中删除该 eSIM。"
                    ),
                    "en": (
                        "Confirm on the [China Unicom website](https://www.10010.com) or by "
                        "calling 10010 that the number is cancelled, then delete the eSIM in "
                        "the device's mobile data settings or the watch's companion app."
                    ),
                },
                "channel": 2,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码没有欠费，合约已到期。",
                    "en": "The number has no unpaid bills and any contract has ended.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "装有该 eSIM 的设备。",
                    "en": "The device that holds the eSIM.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "不要把 eSIM 二维码、激活码或验证码发给任何人。拿到它们的人可以把您的号码装到自己的设备上。",
                    "en": (
                        "Never send anyone your eSIM QR code, activation code or verification "
                        "codes: with them, someone can put your number on their own device."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "换新手机时不必注销 eSIM，可以在营业厅或 APP 中申请转移到新设备。",
                    "en": "Changing phones does not require deregistering: ask a store or the app to move the eSIM to the new device.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "设备已经恢复出厂设置，eSIM 没了，号码还要注销吗？",
                    "en": "I reset my device and the eSIM is gone. Do I still need to cancel the number?",
                },
                "answer": {
                    "zh-hans": "需要。恢复出厂设置只删除了配置文件，号码仍在计费。请按本文步骤到营业厅办理。",
                    "en": (
                        "Yes. A reset only removed the profile; the number is still billed. "
                        "Follow the steps above at a store."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "可以在 APP 里直接注销吗？",
                    "en": "Can I cancel it in the app?",
                },
                "answer": {
                    "zh-hans": "附属号码一般可以在 APP 中取消；独立号码能否线上销户因地区而异，请以 APP 显示或 10010 答复为准。",
                    "en": (
                        "Attached numbers can usually be cancelled in the app. Whether a "
                        "stand-alone number can be cancelled online depends on the region; follow the app or 10010."
                    ),
                },
            },
        ],
    },
    # -- China Telecom, prepaid card -----------------------------------------
    {
        "slug": "cancel-china-telecom-prepaid-card",
        "carrier": "china-telecom",
        "card_type": "prepaid-card",
        "status": "published",
        "title": {
            "zh-hans": "如何注销中国电信预付费卡",
            "en": "How to cancel a China Telecom prepaid card",
        },
        "summary": {
            "zh-hans": "预付费卡余额用完后号码仍在您名下。本文说明如何查询状态、申请销户并退还剩余话费。",
            "en": (
                "An empty prepaid card is still registered to you. Here is how to check its "
                "status, cancel it and get any remaining credit back."
            ),
        },
        "introduction": {
            "zh-hans": (
                "预付费卡没有月结账单，余额用完就会停机，很多人因此以为号码“自己就没了”。"
                "实际上号码在一段时间内仍登记在您的名下，停机期间还可能产生保号费用。"
                "不再使用时，请按下面的步骤办理销户。"
            ),
            "en": (
                "Prepaid cards have no monthly bill and are suspended when the credit runs "
                "out, so many people assume the number simply disappears. In fact it stays "
                "registered to you for some time, and a number-keeping fee may apply while it "
                "is suspended. Cancel it properly with the steps below."
            ),
        },
        "estimated_time": {
            "zh-hans": "约 25 分钟，审核 1–7 个工作日",
            "en": "About 25 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "销户免费。停机保号期间产生的费用需要先结清；充值余额可以退还。",
            "en": (
                "Cancelling is free. Any number-keeping fee from the suspended period must "
                "be paid first; topped-up credit can be refunded."
            ),
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查询号码状态和余额",
                    "en": "Check the number's status and credit",
                },
                "body": {
                    "zh-hans": "登录中国电信 APP，查看号码是正常、停机还是欠费状态，以及账户余额。停机状态下也可以查询和缴费。",
                    "en": (
                        "Log in to the China Telecom app and see whether the number is active, "
                        "suspended or in arrears, and what the balance is. You can still check and pay while it is suspended."
                    ),
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "解绑账号，准备材料",
                    "en": "Unlink accounts and prepare documents",
                },
                "body": {
                    "zh-hans": (
                        "- 把用这个号码注册的银行、支付和社交账号改绑到常用号码；\n"
                        "- 准备机主本人的身份证件原件和预付费卡。"
                    ),
                    "en": (
                        "- move bank, payment and social accounts registered with this number to the number you use every day;\n"
                        "- get the holder's original ID and the prepaid card ready."
                    ),
                },
                "channel": None,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "拨打 10000 确认办理地点",
                    "en": "Call 10000 to find where to apply",
                },
                "body": {
                    "zh-hans": "拨打 **10000**，说明要注销预付费卡。客服会告知是否需要回到号码归属地办理，以及最近的自有营业厅。",
                    "en": (
                        "Call **10000** and say you want to cancel a prepaid card. The agent "
                        "tells you whether you must apply in the province where the number was "
                        "issued and where the nearest own-brand store is."
                    ),
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "在营业厅提交申请",
                    "en": "Submit the request at a store",
                },
                "body": {
                    "zh-hans": "到中国电信自有营业厅，出示身份证件，签署销户申请。索取受理单，并留下余额退款的收款方式。",
                    "en": (
                        "At a China Telecom own-brand store, show your ID and sign the "
                        "cancellation request. Keep the receipt and leave details for the balance refund."
                    ),
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {"zh-hans": "等待审核", "en": "Wait for the review"},
                "body": {
                    "zh-hans": "审核一般需要 **1–7 个工作日**。如超过时间仍未完成，可凭受理单号拨打 10000 查询。",
                    "en": (
                        "The review usually takes **1–7 working days**. If it takes longer, "
                        "call 10000 with your request number."
                    ),
                },
                "channel": None,
                "duration_minutes": None,
            },
            {
                "title": {
                    "zh-hans": "确认销户，销毁卡片",
                    "en": "Confirm and destroy the card",
                },
                "body": {
                    "zh-hans": "在[中国电信网上营业厅](https://www.189.cn)或拨打 10000 确认号码已注销、余额已退回，然后剪断 SIM 卡。",
                    "en": (
                        "Confirm on the [China Telecom website](https://www.189.cn) or by "
                        "calling 10000 that the number is cancelled and the credit refunded, then cut up the SIM."
                    ),
                },
                "channel": 2,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码没有欠费，包括停机保号期间的费用。",
                    "en": "Nothing is owed, including fees from the suspended period.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "预付费卡的 SIM 卡（如已遗失，请在办理时说明）。",
                    "en": "The prepaid SIM card (if it is lost, say so when you apply).",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "电信客服不会要求您向个人账户转账来“结清欠费”，缴费请只使用官方 APP、官网或营业厅。",
                    "en": (
                        "China Telecom never asks you to pay arrears into a personal account. "
                        "Pay only through the official app, website or a store."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "余额不多时，可以在销户前把话费用完，省去退款手续。",
                    "en": "If only a little credit is left, you can use it up before cancelling and skip the refund.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "号码已经停机很久了，还需要销户吗？",
                    "en": "The number has been suspended for ages. Do I still need to cancel it?",
                },
                "answer": {
                    "zh-hans": "建议办理。拨打 10000 查询号码是否仍登记在您名下；如果仍在，按本文步骤销户即可。",
                    "en": (
                        "Yes, it is best to. Call 10000 to find out whether it is still "
                        "registered to you; if it is, cancel it as described above."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "充值卡送的话费能退吗？",
                    "en": "Is bonus credit from a top-up promotion refunded?",
                },
                "answer": {
                    "zh-hans": "一般不退。只有实际充值的金额可以退还。",
                    "en": "Usually not. Only the money you actually paid in is refunded.",
                },
            },
        ],
    },
    # -- Generic checklist ----------------------------------------------------
    {
        "slug": "checklist-before-cancelling-any-card",
        "carrier": None,
        "card_type": None,
        "status": "published",
        "title": {
            "zh-hans": "注销任何卡片之前要检查的事项",
            "en": "What to check before cancelling any card",
        },
        "summary": {
            "zh-hans": "手机卡、流量卡、eSIM、公交卡还是银行卡，注销前都应做好这几件事：查清名下号码、结清费用、解除绑定、保存凭证。",
            "en": (
                "Phone, data, eSIM, transit or bank card: before cancelling any of them, find "
                "everything in your name, settle charges, remove links and keep records."
            ),
        },
        "introduction": {
            "zh-hans": (
                "注销卡片本身通常不难，麻烦往往出在事后：收不到某个平台的验证码、自动扣款失败、余额忘了退。"
                "这份清单适用于所有运营商和发卡机构，办理具体业务前花十几分钟过一遍，能省去很多麻烦。"
            ),
            "en": (
                "Cancelling a card is rarely hard; the trouble comes afterwards: a site's "
                "verification code goes nowhere, a direct debit fails, a balance is never "
                "refunded. This checklist applies to every carrier and card issuer. Spend a "
                "few minutes on it before any cancellation and save yourself a lot of trouble."
            ),
        },
        "estimated_time": {"zh-hans": "约 30 分钟", "en": "About 30 minutes"},
        "fee_note": {
            "zh-hans": "检查本身不产生费用。",
            "en": "The checks themselves cost nothing.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查清名下有哪些号码和卡",
                    "en": "Find every number and card in your name",
                },
                "body": {
                    "zh-hans": (
                        "可以使用工业和信息化部提供的“一证通查”服务，查询您的身份证件下登记了几个手机号码。"
                        "发现不认识的号码，请联系对应运营商核实处理。"
                    ),
                    "en": (
                        "The Ministry of Industry and Information Technology's “one ID, one check” "
                        "service (一证通查) shows how many phone numbers are registered to your ID. "
                        "If you find one you do not recognise, contact that carrier."
                    ),
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "结清费用，查看合约",
                    "en": "Settle charges and check contracts",
                },
                "body": {
                    "zh-hans": (
                        "- 补缴欠费，查看最后一期账单；\n"
                        "- 确认合约、分期、最低消费期的到期时间；\n"
                        "- 退订不再需要的增值业务和会员。"
                    ),
                    "en": (
                        "- pay anything outstanding and look at the latest bill;\n"
                        "- note when contracts, instalments and minimum terms end;\n"
                        "- cancel value-added services and memberships you no longer need."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {"zh-hans": "解除绑定", "en": "Remove the links"},
                "body": {
                    "zh-hans": (
                        "把用这张卡或这个号码注册、验证的账号逐一改绑，包括：**银行和支付软件**、"
                        "社交和邮箱账号、政务和社保 APP、快递和外卖平台，以及各种自动扣款。"
                    ),
                    "en": (
                        "Move every account that uses the card or number for sign-in or "
                        "verification: **banks and payment apps**, social and email accounts, "
                        "government and social-security apps, delivery platforms, and all direct debits."
                    ),
                },
                "channel": None,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "备份并下载凭证",
                    "en": "Back up and download records",
                },
                "body": {
                    "zh-hans": "导出通讯录和重要短信，下载近期账单和发票。销户后，这些记录通常无法再在线查询。",
                    "en": (
                        "Export contacts and important messages, and download recent bills and "
                        "invoices. After cancellation, these are usually no longer available online."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "确认办理渠道和余额退还方式",
                    "en": "Confirm the channel and how refunds work",
                },
                "body": {
                    "zh-hans": "通过官方热线、官方 APP 或官网确认办理渠道、所需材料和审核时间（常见为 1–7 个工作日），并问清余额和押金如何退还。",
                    "en": (
                        "Through the official hotline, app or website, confirm where to apply, "
                        "what to bring and how long the review takes (often 1–7 working days), "
                        "and ask how balances and deposits are refunded."
                    ),
                },
                "channel": None,
                "duration_minutes": 10,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "卡片或号码登记在您本人名下。",
                    "en": "The card or number is registered in your name.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "本人有效身份证件，以及近期账单或充值记录。",
                    "en": "Your valid ID and recent bills or top-up records.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "任何正规机构都不会索要您的短信验证码、支付密码，或要求您下载屏幕共享软件。遇到这类要求，立即挂断。",
                    "en": (
                        "No genuine organisation asks for your SMS codes or payment password, "
                        "or asks you to install screen-sharing software. If anyone does, hang up."
                    ),
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "所有受理单、回执和退款凭证都拍照留存，至少保存到款项到账、账单结清。",
                    "en": "Photograph every receipt and refund slip, and keep them at least until refunds arrive and bills are closed.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "号码注销后，多久会分配给别人？",
                    "en": "How soon is a cancelled number given to someone else?",
                },
                "answer": {
                    "zh-hans": "运营商一般会冻结一段时间后再重新放号。所以一定要在销号前完成所有账号改绑，否则新机主可能收到您的验证码。",
                    "en": (
                        "Carriers usually hold it for a while before reissuing it. That is why "
                        "you must move all accounts before cancelling: otherwise the next holder may receive your codes."
                    ),
                },
            },
            {
                "question": {
                    "zh-hans": "可以网上办理，不去营业厅吗？",
                    "en": "Can I do it all online without visiting a store?",
                },
                "answer": {
                    "zh-hans": "取决于卡片类型和地区。部分业务支持在官方 APP 中办理，但多数销户需要本人持证件到场。请以官方渠道的答复为准。",
                    "en": (
                        "It depends on the card and the region. Some requests can be made in "
                        "the official app, but most cancellations need you in person with ID. "
                        "Go by what the official channels tell you."
                    ),
                },
            },
        ],
    },
    # -- China Mobile, data-only card (draft: still being written) -----------
    {
        "slug": "cancel-china-mobile-data-card",
        "carrier": "china-mobile",
        "card_type": "data-card",
        "status": "draft",
        "title": {
            "zh-hans": "如何注销中国移动流量卡",
            "en": "How to cancel a China Mobile data-only card",
        },
        "summary": {
            "zh-hans": "（草稿）不再使用的移动流量卡，结清费用后可通过 10086 或营业厅办理销户。",
            "en": "(Draft) A China Mobile data card you no longer use can be cancelled through 10086 or a store once charges are settled.",
        },
        "introduction": {
            "zh-hans": "本文正在编写中，待核实各省线上销户的支持情况后发布。",
            "en": "This guide is being written; it will be published once online cancellation in each province has been checked.",
        },
        "estimated_time": {
            "zh-hans": "约 30 分钟，审核 1–7 个工作日",
            "en": "About 30 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "销户免费；最低消费期未满可能产生违约金。",
            "en": "Cancelling is free; a fee may apply before the minimum term ends.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "查看套餐和最低消费期",
                    "en": "Check the plan and minimum term",
                },
                "body": {
                    "zh-hans": "在中国移动 APP 中查看流量卡的套餐、最低消费期和余额。",
                    "en": "In the China Mobile app, check the data card's plan, minimum term and balance.",
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "拨打 10086 申请销户",
                    "en": "Call 10086 to request cancellation",
                },
                "body": {
                    "zh-hans": "拨打 **10086**，说明要注销流量卡，确认办理地点和所需材料。",
                    "en": "Call **10086**, say you want to cancel the data card and confirm where to go and what to bring.",
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "到营业厅提交申请",
                    "en": "Submit the request at a store",
                },
                "body": {
                    "zh-hans": "携带身份证件和流量卡到中国移动自有营业厅办理，索取受理单。",
                    "en": "Take your ID and the data card to a China Mobile own-brand store and keep the receipt.",
                },
                "channel": 3,
                "duration_minutes": 20,
            },
            {
                "title": {
                    "zh-hans": "确认生效并销毁卡片",
                    "en": "Confirm and destroy the card",
                },
                "body": {
                    "zh-hans": "审核通过后拨打 10086 确认已销户，剪断 SIM 卡。",
                    "en": "After the review, call 10086 to confirm the cancellation and cut up the SIM.",
                },
                "channel": 0,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人的有效身份证件原件。",
                    "en": "The holder's original, valid ID document.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "不要把验证码告诉任何自称“客服”的人。",
                    "en": "Never give a verification code to anyone claiming to be support.",
                },
            },
        ],
        "faqs": [],
    },
]

# ---------------------------------------------------------------------------
# Tenant "beta": 蜂鸟通信, a small shop reselling SIM and data cards.
# Its "cancel-china-mobile-prepaid-10-day-card" deliberately shares the slug
# of an acme article with different text: it demonstrates tenant isolation.
# ---------------------------------------------------------------------------

# Channel indices, used by the steps below:
#   china-mobile: 0 hotline, 1 app, 2 store
#   china-unicom: 0 hotline, 1 website, 2 store
BETA_CARRIERS = [
    {
        "slug": "china-mobile",
        "name": {"zh-hans": "中国移动", "en": "China Mobile"},
        "description": {
            "zh-hans": "本店销售的 10 日卡和 eSIM 由中国移动提供网络服务，销户和补卡由中国移动受理。",
            "en": (
                "The 10-day cards and eSIMs we sell run on China Mobile's network; "
                "China Mobile handles cancellations and replacements."
            ),
        },
        "website": "https://www.10086.cn",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "中国移动客服", "en": "China Mobile support"},
                "value": "10086",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
            {
                "kind": "app",
                "label": {"zh-hans": "中国移动 APP", "en": "China Mobile app"},
                "value": "中国移动 APP",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {"zh-hans": "中国移动营业厅", "en": "China Mobile store"},
                "value": "中国移动自有营业厅 / China Mobile own-brand stores",
                "opening_hours": {
                    "zh-hans": "以各营业厅公示时间为准",
                    "en": "As posted at each store",
                },
            },
        ],
    },
    {
        "slug": "china-unicom",
        "name": {"zh-hans": "中国联通", "en": "China Unicom"},
        "description": {
            "zh-hans": "本店销售的流量卡由中国联通提供网络服务。",
            "en": "The data cards we sell run on China Unicom's network.",
        },
        "website": "https://www.10010.com",
        "channels": [
            {
                "kind": "hotline",
                "label": {"zh-hans": "中国联通客服", "en": "China Unicom support"},
                "value": "10010",
                "opening_hours": {"zh-hans": "24 小时", "en": "24 hours"},
            },
            {
                "kind": "website",
                "label": {"zh-hans": "中国联通官网", "en": "China Unicom website"},
                "value": "https://www.10010.com",
                "opening_hours": {"zh-hans": "全天可用", "en": "Available at any time"},
            },
            {
                "kind": "store",
                "label": {"zh-hans": "中国联通营业厅", "en": "China Unicom store"},
                "value": "中国联通自有营业厅 / China Unicom own-brand stores",
                "opening_hours": {
                    "zh-hans": "以各营业厅公示时间为准",
                    "en": "As posted at each store",
                },
            },
        ],
    },
]

BETA_CARD_TYPES = [
    {
        "slug": "prepaid-10-day",
        "name": {"zh-hans": "10日卡", "en": "10-day card"},
        "description": {
            "zh-hans": "本店热销的短期卡，激活后 10 天内可用，适合来访和出差。",
            "en": "Our best-selling short-term card: usable for ten days after activation, ideal for visits and business trips.",
        },
    },
    {
        "slug": "data-card",
        "name": {"zh-hans": "流量卡", "en": "Data card"},
        "description": {
            "zh-hans": "只用来上网的卡，适合随身 Wi-Fi 和平板电脑。",
            "en": "A card just for going online, for pocket Wi-Fi and tablets.",
        },
    },
    {
        "slug": "esim",
        "name": {"zh-hans": "eSIM", "en": "eSIM"},
        "description": {
            "zh-hans": "无需实体卡，扫码即可在支持的手机或手表上开通。",
            "en": "No physical card: set it up on a supported phone or watch by scanning a code.",
        },
    },
]

BETA_ARTICLES = [
    {
        "slug": "cancel-china-mobile-prepaid-10-day-card",
        "carrier": "china-mobile",
        "card_type": "prepaid-10-day",
        "status": "published",
        "title": {
            "zh-hans": "在本店买的移动 10 日卡，怎样销户？",
            "en": "Cancelling a China Mobile 10-day card bought from us",
        },
        "summary": {
            "zh-hans": "10 日卡用完后，请到中国移动营业厅销户。本店无法代办，但可以帮您核对卡号和购买记录。",
            "en": (
                "When your 10-day card is used up, cancel it at a China Mobile store. We "
                "cannot do it for you, but we can look up your card number and purchase record."
            ),
        },
        "introduction": {
            "zh-hans": (
                "蜂鸟通信只负责销售和激活指导，号码的销户必须由中国移动办理。"
                "下面是我们根据顾客常见问题整理的最短流程。"
            ),
            "en": (
                "Hummingbird sells cards and helps you activate them; only China Mobile can "
                "cancel a number. Here is the shortest route, based on what our customers ask most."
            ),
        },
        "estimated_time": {
            "zh-hans": "营业厅办理约 15 分钟，审核最长 7 个工作日",
            "en": "About 15 minutes in store; review up to 7 working days",
        },
        "fee_note": {
            "zh-hans": "中国移动不收销户费，本店也不收取任何费用。",
            "en": "China Mobile charges nothing to cancel, and neither do we.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "在 APP 里看一眼余额",
                    "en": "Check the balance in the app",
                },
                "body": {
                    "zh-hans": "打开中国移动 APP，确认没有欠费。余额较多的，记下金额，销户时可以申请退还。",
                    "en": "Open the China Mobile app and make sure nothing is owed. If there is a fair amount of credit left, note it: you can ask for it back.",
                },
                "channel": 1,
                "duration_minutes": 3,
            },
            {
                "title": {
                    "zh-hans": "找到购卡凭证和身份证",
                    "en": "Find your receipt and ID",
                },
                "body": {
                    "zh-hans": "带上购卡时登记的身份证。忘了卡号的，可以凭购物小票到本店查询。",
                    "en": "Bring the ID you registered the card with. If you have forgotten the number, bring your receipt to our shop and we will look it up.",
                },
                "channel": None,
                "duration_minutes": 5,
            },
            {
                "title": {"zh-hans": "先打 10086 问清楚", "en": "Call 10086 first"},
                "body": {
                    "zh-hans": "拨打 **10086**，告诉客服您要注销 10 日卡，问清楚附近哪家营业厅可以办理。",
                    "en": "Call **10086**, tell them you want to cancel a 10-day card and ask which nearby store can do it.",
                },
                "channel": 0,
                "duration_minutes": 5,
            },
            {
                "title": {"zh-hans": "去营业厅办理", "en": "Go to the store"},
                "body": {
                    "zh-hans": "在中国移动营业厅出示身份证，签字确认销户，拿好受理单。",
                    "en": "Show your ID at the China Mobile store, sign the cancellation and keep the receipt.",
                },
                "channel": 2,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "等待生效后剪卡",
                    "en": "Cut the card once it is done",
                },
                "body": {
                    "zh-hans": "审核最长约 7 个工作日。确认已销户后，把卡剪断再丢弃。",
                    "en": "The review takes up to about 7 working days. Once the number is cancelled, cut the card before throwing it away.",
                },
                "channel": None,
                "duration_minutes": None,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "卡上没有欠费。",
                    "en": "Nothing is owed on the card.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "购卡时登记的身份证原件。",
                    "en": "The original ID registered when you bought the card.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "本店店员不会打电话向您要验证码，也不会代收销户费。接到这类电话请直接挂断。",
                    "en": "Our staff will never call you for a verification code or collect a cancellation fee. Hang up on such calls.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "能不能在蜂鸟通信门店直接销户？",
                    "en": "Can I cancel it at a Hummingbird shop?",
                },
                "answer": {
                    "zh-hans": "不能。我们是代售点，没有销户权限，请到中国移动营业厅办理。",
                    "en": "No. We are a reseller without access to cancellations; please go to a China Mobile store.",
                },
            },
            {
                "question": {
                    "zh-hans": "卡已经扔了怎么办？",
                    "en": "I already threw the card away. What now?",
                },
                "answer": {
                    "zh-hans": "没关系，销户只需要身份证。到营业厅时说明卡片已丢弃即可。",
                    "en": "No problem: you only need your ID. Tell the store the card is gone.",
                },
            },
        ],
    },
    {
        "slug": "cancel-china-unicom-data-card",
        "carrier": "china-unicom",
        "card_type": "data-card",
        "status": "published",
        "title": {
            "zh-hans": "联通流量卡不用了怎么注销",
            "en": "Cancelling a China Unicom data card you no longer use",
        },
        "summary": {
            "zh-hans": "流量卡闲置也会扣月租。按下面四步，到联通营业厅注销。",
            "en": "An unused data card still costs a monthly fee. Cancel it at a China Unicom store in four steps.",
        },
        "introduction": {
            "zh-hans": "本店销售的流量卡多带有最低使用期，请在到期后再注销，避免违约金。",
            "en": "Most data cards we sell have a minimum term; cancel after it ends to avoid a fee.",
        },
        "estimated_time": {
            "zh-hans": "约 20 分钟，审核 1–7 个工作日",
            "en": "About 20 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "到期后注销免费；未到最低使用期，按联通规定收取违约金。",
            "en": "Free after the minimum term; before that, China Unicom charges its early-termination fee.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "确认最低使用期已满",
                    "en": "Make sure the minimum term is over",
                },
                "body": {
                    "zh-hans": "在[中国联通官网](https://www.10010.com)登录查看套餐详情和到期时间，并结清欠费。",
                    "en": "Log in on the [China Unicom website](https://www.10010.com), check the plan details and end date, and pay anything owed.",
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "拨打 10010 确认办理地点",
                    "en": "Call 10010 to find where to go",
                },
                "body": {
                    "zh-hans": "拨打 **10010**，说明要注销流量卡，问清楚能否在本地营业厅办理。",
                    "en": "Call **10010**, say you want to cancel a data card and ask whether a local store can do it.",
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "带身份证去营业厅",
                    "en": "Take your ID to the store",
                },
                "body": {
                    "zh-hans": "在中国联通营业厅出示身份证并签字，索取受理单。审核一般需要 1–7 个工作日。",
                    "en": "Show your ID at the China Unicom store, sign, and keep the receipt. The review usually takes 1–7 working days.",
                },
                "channel": 2,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "确认后处理卡片",
                    "en": "Dispose of the card afterwards",
                },
                "body": {
                    "zh-hans": "收到销户成功的通知后，把卡从随身 Wi-Fi 中取出并剪断。",
                    "en": "When you hear the cancellation is done, take the card out of your pocket Wi-Fi and cut it up.",
                },
                "channel": None,
                "duration_minutes": 2,
            },
        ],
        "requirements": [
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "最低使用期已满，没有欠费。",
                    "en": "The minimum term is over and nothing is owed.",
                },
            },
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人身份证原件。",
                    "en": "The holder's original ID.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "声称“付费代销户”的都不可信，任何情况下都不要透露验证码。",
                    "en": "Never trust paid “cancellation services”, and never reveal a verification code.",
                },
            },
            {
                "kind": "tip",
                "text": {
                    "zh-hans": "受理单请保留到下个月账单出来为止。",
                    "en": "Keep the receipt until next month's bill arrives.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "我不记得最低使用期是多久。",
                    "en": "I do not remember how long the minimum term is.",
                },
                "answer": {
                    "zh-hans": "在联通官网的套餐详情里可以查到，也可以拨打 10010 询问。",
                    "en": "It is shown in your plan details on the China Unicom website, or ask 10010.",
                },
            },
            {
                "question": {
                    "zh-hans": "可以寄回本店让你们处理吗？",
                    "en": "Can I post the card back to you instead?",
                },
                "answer": {
                    "zh-hans": "不行。寄回卡片不会注销号码，必须本人到联通营业厅办理。",
                    "en": "No. Sending the card back does not cancel the number; you have to go to a China Unicom store yourself.",
                },
            },
        ],
    },
    {
        "slug": "deregister-china-mobile-esim",
        "carrier": "china-mobile",
        "card_type": "esim",
        "status": "published",
        "title": {
            "zh-hans": "注销在本店开通的移动 eSIM",
            "en": "Deregistering a China Mobile eSIM set up at our shop",
        },
        "summary": {
            "zh-hans": "先让中国移动停掉号码，再从设备里删除 eSIM，顺序不要反过来。",
            "en": "Have China Mobile stop the number first, then delete the eSIM from your device. Not the other way round.",
        },
        "introduction": {
            "zh-hans": "很多顾客直接在手机里删掉 eSIM，结果下个月还在扣费。请按下面的顺序操作。",
            "en": "Many customers just delete the eSIM on their phone and are still charged the next month. Follow this order instead.",
        },
        "estimated_time": {
            "zh-hans": "约 20 分钟，审核 1–7 个工作日",
            "en": "About 20 minutes; review takes 1–7 working days",
        },
        "fee_note": {
            "zh-hans": "注销免费。",
            "en": "Deregistering is free.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "在 APP 中结清费用",
                    "en": "Settle charges in the app",
                },
                "body": {
                    "zh-hans": "登录中国移动 APP，确认 eSIM 号码没有欠费。",
                    "en": "Log in to the China Mobile app and make sure nothing is owed on the eSIM number.",
                },
                "channel": 1,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "拨打 10086 申请注销",
                    "en": "Call 10086 to deregister",
                },
                "body": {
                    "zh-hans": "拨打 **10086**，说明要注销 eSIM 号码。需要到营业厅的，客服会告诉您地址。",
                    "en": "Call **10086** and ask to deregister the eSIM number. If a store visit is needed, they will tell you where.",
                },
                "channel": 0,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "到营业厅办理（如需要）",
                    "en": "Visit a store if asked to",
                },
                "body": {
                    "zh-hans": "带上身份证和装有 eSIM 的设备，到中国移动营业厅提交申请，保留受理单。",
                    "en": "Take your ID and the device with the eSIM to a China Mobile store, apply, and keep the receipt.",
                },
                "channel": 2,
                "duration_minutes": 15,
            },
            {
                "title": {
                    "zh-hans": "生效后删除 eSIM",
                    "en": "Delete the eSIM once it is cancelled",
                },
                "body": {
                    "zh-hans": "收到注销成功的短信或确认号码已停用后，再到手机设置中删除 eSIM。",
                    "en": "Only after you get the confirmation, or see the number has stopped working, delete the eSIM in your phone's settings.",
                },
                "channel": None,
                "duration_minutes": 3,
            },
        ],
        "requirements": [
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人身份证原件。",
                    "en": "The holder's original ID.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "装有 eSIM 的设备在手边。",
                    "en": "You have the device with the eSIM.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "eSIM 二维码就是您的“电话卡”，不要截图发给别人。",
                    "en": "Your eSIM QR code is your SIM card: do not send screenshots of it to anyone.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "我已经把 eSIM 删了，怎么办？",
                    "en": "I already deleted the eSIM. What now?",
                },
                "answer": {
                    "zh-hans": "号码还在计费，请照常拨打 10086 或到营业厅办理注销。",
                    "en": "The number is still being billed; call 10086 or visit a store to deregister it as normal.",
                },
            },
            {
                "question": {
                    "zh-hans": "本店能帮忙删除 eSIM 吗？",
                    "en": "Can your shop delete the eSIM for me?",
                },
                "answer": {
                    "zh-hans": "可以帮您在设备上删除，但号码注销仍需中国移动办理。",
                    "en": "We can remove it from your device, but only China Mobile can cancel the number.",
                },
            },
        ],
    },
    {
        "slug": "replace-lost-china-mobile-sim-card",
        "carrier": "china-mobile",
        "card_type": None,
        "status": "published",
        "title": {
            "zh-hans": "移动卡丢了怎么办",
            "en": "Lost your China Mobile SIM?",
        },
        "summary": {
            "zh-hans": "先打 10086 停机，再去营业厅补卡，号码和余额都不会变。",
            "en": "Call 10086 to suspend it, then get a replacement at a store. Your number and balance stay the same.",
        },
        "introduction": {
            "zh-hans": "丢卡后越早停机越安全。补卡只能由中国移动办理，本店无法补写号码。",
            "en": "The sooner you suspend a lost card, the safer. Only China Mobile can issue a replacement; we cannot.",
        },
        "estimated_time": {
            "zh-hans": "停机约 5 分钟，补卡约 20 分钟",
            "en": "About 5 minutes to suspend, 20 minutes to replace",
        },
        "fee_note": {
            "zh-hans": "停机免费；补卡是否收费以营业厅告知为准。",
            "en": "Suspending is free; the store will tell you if the replacement costs anything.",
        },
        "steps": [
            {
                "title": {
                    "zh-hans": "拨打 10086 挂失停机",
                    "en": "Call 10086 to suspend the number",
                },
                "body": {
                    "zh-hans": "借用他人手机拨打 **10086**，按提示验证身份后申请挂失停机。",
                    "en": "On someone else's phone, call **10086**, verify your identity and ask for the number to be suspended.",
                },
                "channel": 0,
                "duration_minutes": 5,
            },
            {
                "title": {
                    "zh-hans": "修改重要密码",
                    "en": "Change important passwords",
                },
                "body": {
                    "zh-hans": "尽快修改支付软件和网上银行的密码。",
                    "en": "Change your payment app and online banking passwords as soon as you can.",
                },
                "channel": None,
                "duration_minutes": 10,
            },
            {
                "title": {
                    "zh-hans": "带身份证去营业厅补卡",
                    "en": "Take your ID to a store for a new card",
                },
                "body": {
                    "zh-hans": "在中国移动营业厅补办新卡，旧卡自动失效。请保留受理单。",
                    "en": "Get a new card at a China Mobile store; the old one stops working. Keep the receipt.",
                },
                "channel": 2,
                "duration_minutes": 20,
            },
            {
                "title": {"zh-hans": "装卡测试", "en": "Insert and test"},
                "body": {
                    "zh-hans": "插入新卡，打个电话、收条短信，确认一切正常。",
                    "en": "Insert the new card, make a call and receive a text to check everything works.",
                },
                "channel": None,
                "duration_minutes": 5,
            },
        ],
        "requirements": [
            {
                "kind": "document",
                "text": {
                    "zh-hans": "机主本人身份证原件。",
                    "en": "The holder's original ID.",
                },
            },
            {
                "kind": "prerequisite",
                "text": {
                    "zh-hans": "号码登记在您本人名下。",
                    "en": "The number is registered in your name.",
                },
            },
        ],
        "tips": [
            {
                "kind": "warning",
                "text": {
                    "zh-hans": "有人来电说能“远程补卡”并索要验证码，一定是诈骗。",
                    "en": "A caller offering a “remote replacement” in exchange for a code is always a fraudster.",
                },
            },
        ],
        "faqs": [
            {
                "question": {
                    "zh-hans": "10 日卡丢了也要补吗？",
                    "en": "Should I replace a lost 10-day card too?",
                },
                "answer": {
                    "zh-hans": "如果不打算再用，挂失后直接到营业厅办理销户即可，不必补卡。",
                    "en": "If you will not use it again, suspend it and then cancel it at a store; no replacement needed.",
                },
            },
            {
                "question": {
                    "zh-hans": "补卡要多久？",
                    "en": "How long does a replacement take?",
                },
                "answer": {
                    "zh-hans": "营业厅一般当场办好，新卡插上即可使用。",
                    "en": "Stores usually do it on the spot, and the new card works as soon as you insert it.",
                },
            },
        ],
    },
]

# ---------------------------------------------------------------------------

TENANTS = [
    {
        "slug": "acme",
        "name": "卡易通帮助中心 CardEasy Help",
        "domains": ["localhost", "127.0.0.1"],
        "languages": ["zh-hans", "en"],
        "default_language": "zh-hans",
        "primary_color": "#0b5cad",
        "logo": "",
        "editor": {
            "username": "acme-editor",
            "password": "demo-acme-2026",
            "email": "editor@acme.example",
        },
        "reviewer": {
            "username": "acme-reviewer",
            "password": "demo-acme-2026",
            "email": "reviewer@acme.example",
        },
        "manager": {
            "username": "acme-manager",
            "password": "demo-acme-2026",
            "email": "manager@acme.example",
        },
        # Freshness (days since the last check, and what was checked): one
        # procedure due for verification, one checked recently.
        "verifications": {
            "cancel-china-mobile-prepaid-10-day-card": (200, "Called 10086"),
            "deregister-china-mobile-esim": (12, "Checked the app's eSIM menu"),
        },
        "carriers": ACME_CARRIERS,
        "card_types": ACME_CARD_TYPES,
        "articles": ACME_ARTICLES,
    },
    {
        "slug": "beta",
        "name": "蜂鸟通信帮助中心 Hummingbird Mobile Help",
        "domains": ["beta.localhost"],
        "languages": ["zh-hans", "en"],
        "default_language": "zh-hans",
        "primary_color": "#1f7a4d",
        "logo": "",
        "editor": {
            "username": "beta-editor",
            "password": "demo-beta-2026",
            "email": "editor@beta.example",
        },
        "reviewer": {
            "username": "beta-reviewer",
            "password": "demo-beta-2026",
            "email": "reviewer@beta.example",
        },
        "manager": {
            "username": "beta-manager",
            "password": "demo-beta-2026",
            "email": "manager@beta.example",
        },
        "verifications": {
            "cancel-china-unicom-data-card": (365, "Called 10010"),
        },
        "carriers": BETA_CARRIERS,
        "card_types": BETA_CARD_TYPES,
        "articles": BETA_ARTICLES,
    },
]
