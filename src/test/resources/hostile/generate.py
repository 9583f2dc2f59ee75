#!/usr/bin/env python3
"""Writes generated.json: the systematic part of the hostile-input corpus (HostileInputTest).

Run it from this folder after changing it; the output is kept in the repository so that the test
needs no Python. Hand-written cases live in handwritten.json. Format: see README.md here.
"""
import base64
import json

POOL = "us-east-1_Hostile"          # seeded by the test: alice (3 tokens), bob (email alias)
TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser"
SERIAL, INVALID = "SerializationException", "InvalidParameterException"
NO_USER, NO_POOL = "UserNotFoundException", "ResourceNotFoundException"
cases = []


def case(name, expect, body=None, raw_body=None, **extra):
    c = {"name": name, "expect": expect}
    if raw_body is not None:
        c["bodyBase64"] = base64.b64encode(raw_body).decode()
    elif body is not None:
        c["body"] = body
    c.update(extra)
    cases.append(c)


def rep(count, text):
    """The corpus's repetition syntax, expanded by the test: keeps huge inputs small in the file."""
    return f"\u27e6{count}*{text}\u27e7"


def member_body(pool, username):
    return json.dumps({"UserPoolId": pool, "Username": username}, ensure_ascii=False)


# Every truncation of a well-formed request (the empty body reads as {}: both members missing).
valid = member_body(POOL, "alice")
for n in range(1, len(valid)):
    case(f"truncated at {n}", SERIAL, valid[:n])

# Nesting in an unknown member: skipped up to the parser's limit of 64, refused beyond.
for depth in (1, 32, 63):
    case(f"unknown member nested {depth} deep", NO_USER,
         '{"Extra":' + rep(depth, "[") + rep(depth, "]") + f',"UserPoolId":"{POOL}","Username":"nobody"}}')
for depth in (65, 100, 1000, 20000):
    case(f"unknown member nested {depth} deep", SERIAL, '{"Extra":' + rep(depth, "[") + rep(depth, "]") + "}")
    case(f"objects nested {depth} deep", SERIAL, rep(depth, '{"a":') + "1" + rep(depth, "}"))

# Each member with every JSON type but string; null is a missing member.
for member in ("UserPoolId", "Username"):
    other = {"UserPoolId": POOL, "Username": "nobody"}
    for label, value in (("number", "42"), ("negative", "-1"), ("float", "1.5e300"), ("huge number", rep(5000, "9")),
                         ("true", "true"), ("false", "false"), ("object", "{}"), ("array", '["alice"]'),
                         ("nested object", '{"Username":"alice"}'), ("empty array", "[]")):
        rest = ",".join(f'"{k}":{json.dumps(v)}' for k, v in other.items() if k != member)
        case(f"{member} is {label}", SERIAL, f'{{"{member}":{value},{rest}}}')
    rest = ",".join(f'"{k}":{json.dumps(v)}' for k, v in other.items() if k != member)
    case(f"{member} is null", INVALID, f'{{"{member}":null,{rest}}}')
    case(f"{member} is missing", INVALID, f"{{{rest}}}")
    case(f"{member} given twice, same value", SERIAL, f'{{"{member}":{json.dumps(other[member])},'
                                                     f'"{member}":{json.dumps(other[member])},{rest}}}')
    case(f"{member} given twice, second names alice", SERIAL,
         f'{{{rest},"{member}":"x","{member}":{json.dumps(POOL if member == "UserPoolId" else "alice")}}}')
    case(f"{member} in another case", INVALID, f'{{"{member.lower()}":{json.dumps(other[member])},{rest}}}')

# Huge strings: within the body limit they reach validation, beyond it the body is refused.
for n in (129, 1000, 60000):
    case(f"Username of {n} chars", INVALID, member_body(POOL, rep(n, "a")))
    case(f"UserPoolId of {n} chars", INVALID, member_body("us-east-1_" + rep(n, "A"), "nobody"))
case("unknown member of 60000 chars", NO_USER, f'{{"Extra":"{rep(60000, "x")}","UserPoolId":"{POOL}","Username":"nobody"}}')
case("member name of 60000 chars (over the parser's name limit)", SERIAL, f'{{"{rep(60000, "k")}":1,"UserPoolId":"{POOL}","Username":"nobody"}}')
case("body over the 64 KiB limit", SERIAL, member_body(POOL, rep(70000, "a")))
case("3000 unknown members", INVALID, "{" + ",".join(f'"m{i}":0' for i in range(3000)) + "}")

# Invalid UTF-8 in a value, in a member name and between tokens.
bad_sequences = {"lone continuation": b"\x80", "bad lead C3 28": b"\xc3\x28", "overlong slash": b"\xc0\xaf",
                 "overlong NUL": b"\xc0\x80", "encoded surrogate": b"\xed\xa0\x80", "FF byte": b"\xff",
                 "5-byte lead": b"\xf8\x88\x80\x80\x80", "beyond U+10FFFF": b"\xf4\x90\x80\x80",
                 "truncated 3-byte": b"\xe2\x82"}
for label, seq in bad_sequences.items():
    case(f"invalid UTF-8 ({label}) in Username", SERIAL,
         raw_body=b'{"UserPoolId":"' + POOL.encode() + b'","Username":"al' + seq + b'ice"}')
    case(f"invalid UTF-8 ({label}) in a member name", SERIAL,
         raw_body=b'{"User' + seq + b'":"x","UserPoolId":"' + POOL.encode() + b'","Username":"nobody"}')
    case(f"invalid UTF-8 ({label}) at the end", SERIAL, raw_body=b'{"UserPoolId":"' + POOL.encode() + b'"' + seq)

# UserPoolId: [\w-]+_[0-9a-zA-Z]+ (ASCII \w), 1..55 code points.
for pool_id, expect in (("us-east-1_" + "A" * 45, NO_POOL), ("us-east-1_" + "A" * 46, INVALID),
                        ("a_b", NO_POOL), ("-_0", NO_POOL), ("a__b", NO_POOL), ("__b", NO_POOL),
                        ("_", INVALID), ("a_", INVALID), ("_b", INVALID), ("", INVALID), ("ab", INVALID),
                        ("us-east-1_Ab-c", INVALID), ("us-east-1_A.b", INVALID), ("us-east-1 _A", INVALID),
                        ("üs-east-1_A", INVALID), ("us-east-1_Ä", INVALID), ("us-east-1_٣", INVALID),
                        ("us-east-1_A\u0000", INVALID), ("us-east-1_A\n", INVALID), ("\tus-east-1_A", INVALID),
                        ("us-east-1_A\u200b", INVALID), ("us-east-1_A\U0001F600", INVALID),
                        ("us-east-1_\ufb01", INVALID), ("us-east-1_A/../B", INVALID),
                        ("us-east-1_A%00", INVALID), ("us-east-1_A*", INVALID), ("us-east-1_" + "A" * 44 + "\U0001F600", INVALID),
                        (POOL.lower(), NO_POOL), (POOL.upper(), NO_POOL)):
    case(f"UserPoolId {json.dumps(pool_id)[:40]} ({len(pool_id)})", expect, member_body(pool_id, "nobody"))
    case(f"UserPoolId {json.dumps(pool_id)[:40]} ({len(pool_id)}), escaped", expect,
         json.dumps({"UserPoolId": pool_id, "Username": "nobody"}, ensure_ascii=True))

# Username: [\p{L}\p{M}\p{S}\p{N}\p{P}]+, 1..128 code points; none of these users exists.
allowed = {"Latin accents": "José", "Greek": "Ωμέγα", "CJK": "日本語", "sharp s": "ß", "Arabic": "مستخدم",
           "Hebrew": "משתמש", "Devanagari": "उपयोगकर्ता", "combining acute": "e\u0301", "lone mark": "\u0301",
           "variation selector": "\u2764\ufe0f", "euro": "€", "copyright": "©", "math symbols": "+=<>^`|~$",
           "ASCII punctuation": "!\"#%&'()*,-./:;?@[\\]_{}", "inverted question": "¿", "guillemets": "«»",
           "em dash": "—", "Arabic-Indic digits": "٣٤٥", "roman numeral": "Ⅻ", "fraction": "½",
           "emoji (surrogate pair)": "\U0001F600", "musical symbol (surrogate pair)": "\U0001D11E",
           "CJK ext B (surrogate pair)": "\U00020000", "all digits": "1234567890", "single letter": "x",
           "tag-like": "<script>", "sql-like": "';DROP_TABLE--", "braces (hash tag)": "{x}", "redis glob": "*?[a]",
           "128 ASCII letters": "a" * 128, "128 emoji": "\U0001F600" * 128, "127 letters + emoji": "a" * 127 + "\U0001F600",
           "128 combining marks": "\u0301" * 128, "Alice upper case": "ALICE", "email-like": "nobody@example.com"}
rejected = {"space": "a b", "leading space": " alice", "trailing space": "alice ", "NUL": "a\u0000",
            "control 01": "\u0001", "unit separator": "a\u001f", "DEL": "a\u007f", "tab": "a\tb", "newline": "alice\n",
            "carriage return": "alice\r", "C1 control": "a\u0085", "no-break space": "a\u00a0b",
            "line separator": "a\u2028", "paragraph separator": "a\u2029", "zero-width space": "a\u200b",
            "zero-width joiner": "a\u200db", "soft hyphen": "a\u00ad", "BOM": "\ufeffalice", "private use": "\ue000",
            "unassigned": "\u0378", "empty": "", "129 ASCII letters": "a" * 129, "129 emoji": "\U0001F600" * 129,
            "128 letters + emoji": "a" * 128 + "\U0001F600", "ideographic space": "a\u3000", "RTL override": "a\u202eb"}
for label, name in allowed.items():
    case(f"Username allowed: {label}", NO_USER, member_body(POOL, name))
    case(f"Username allowed: {label}, escaped", NO_USER, json.dumps({"UserPoolId": POOL, "Username": name}))
for label, name in rejected.items():
    case(f"Username rejected: {label}", INVALID, member_body(POOL, name))
    case(f"Username rejected: {label}, escaped", INVALID, json.dumps({"UserPoolId": POOL, "Username": name}))
for label, escape in (("lone high surrogate", "\\ud800"), ("lone low surrogate", "\\udc00"),
                      ("reversed surrogates", "\\ude00\\ud83d"), ("surrogate then letter", "\\ud83da")):
    case(f"Username rejected: {label}", INVALID, f'{{"UserPoolId":"{POOL}","Username":"al{escape}ice"}}')
for label, escape in (("bad escape", "\\x41"), ("short unicode escape", "\\u12"), ("raw control char", "\u0001"),
                      ("raw newline", "\n")):
    case(f"Username string: {label}", SERIAL, f'{{"UserPoolId":"{POOL}","Username":"a{escape}b"}}')

# Both members wrong at once: every violation is reported, still one error.
case("both members invalid", INVALID, member_body("bad", "has space"))
case("both members empty", INVALID, member_body("", ""))

with open("generated.json", "w", encoding="utf-8") as out:
    json.dump({"cases": cases}, out, ensure_ascii=False, indent=1)
    out.write("\n")
print(len(cases), "cases")
