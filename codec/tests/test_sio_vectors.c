/*
 * test_sio_vectors.c - the Socket.IO decoder vectors: spec examples (v5 and
 * v4, with errata), the reference parser's accept/reject tests, the codec-
 * level rows of the observed behaviour matrix, CVE regression inputs, and
 * one row per compat quirk (each checked against socket.io-parser 4.2.7 or
 * 3.4.5 with node). y_: both modes accept; i_: only compat accepts, with
 * the listed quirks; n_: both reject.
 */
#include "test_sio.h"

#define PH(n) "{\"_placeholder\":true,\"num\":" #n "}"
#define PHN(v) "{\"_placeholder\":true,\"num\":" v "}"

#define Y(n, v, in, line, canon)                                                                   \
    {                                                                                              \
        n, v, in, 0, CDC_OK, CDC_OK, line, 0, canon                                                \
    }
#define I(n, v, in, serr, line, q)                                                                 \
    {                                                                                              \
        n, v, in, 0, serr, CDC_OK, line, q, false                                                  \
    }
#define N(n, v, in, err)                                                                           \
    {                                                                                              \
        n, v, in, 0, err, err, NULL, 0, false                                                      \
    }
#define NN(n, v, in, serr, cerr)                                                                   \
    {                                                                                              \
        n, v, in, 0, serr, cerr, NULL, 0, false                                                    \
    }

#define Q_NOPAY CDC_QUIRK_SIO_NO_PAYLOAD
#define Q_SPACE CDC_QUIRK_SIO_ACK_ID_SPACE
#define Q_LOOSE CDC_QUIRK_SIO_LOOSE_ATTACHMENTS
#define Q_MISPL CDC_QUIRK_SIO_MISPLACED_ACK_ID
#define Q_NOID CDC_QUIRK_SIO_ACK_WITHOUT_ID
#define Q_CESTR CDC_QUIRK_SIO_CONNECT_ERROR_STRING
#define Q_UTF8 CDC_QUIRK_INVALID_UTF8
#define Q_UNREF CDC_QUIRK_SIO_UNREFERENCED_ATTACHMENT
#define Q_EXTRA CDC_QUIRK_SIO_PLACEHOLDER_EXTRA
#define Q_TYPEWS CDC_QUIRK_SIO_TYPE_WHITESPACE
#define Q_LEGACY CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD
#define Q_PHNUM CDC_QUIRK_SIO_PLACEHOLDER_NUM

#define E_TYPE CDC_ERR_SIO_TYPE
#define E_ATT CDC_ERR_SIO_ATTACHMENTS
#define E_MANY CDC_ERR_SIO_TOO_MANY_ATTACHMENTS
#define E_NSP CDC_ERR_SIO_NAMESPACE
#define E_ACK CDC_ERR_SIO_ACK_ID
#define E_JSON CDC_ERR_SIO_JSON
#define E_PAY CDC_ERR_SIO_PAYLOAD
#define E_NAME CDC_ERR_SIO_EVENT_NAME
#define E_PH CDC_ERR_SIO_PLACEHOLDER
#define E_MISS CDC_ERR_SIO_MISSING_PAYLOAD

/* clang-format off */
const struct sio_vec ts_vectors[] = {
    /* socket.io-protocol v5 §Packet encoding, every example (notes §4.3) */
    Y("y_v5_connect_main", 5, "0", "CONNECT nsp=/", true),
    Y("y_v5_connect_admin_sid", 5, "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}",
      "CONNECT nsp=/admin data={\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", true),
    Y("y_v5_connect_error", 5, "4{\"message\":\"Not authorized\"}",
      "CONNECT_ERROR nsp=/ data={\"message\":\"Not authorized\"}", true),
    Y("y_v5_event", 5, "2[\"foo\"]", "EVENT nsp=/ data=[\"foo\"]", true),
    Y("y_v5_event_admin", 5, "2/admin,[\"bar\"]", "EVENT nsp=/admin data=[\"bar\"]", true),
    Y("y_v5_binary_event", 5, "51-[\"baz\"," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/ data=[\"baz\"," PH(0) "]", true),
    Y("y_v5_binary_event_two", 5, "52-/admin,[\"baz\"," PH(0) "," PH(1) "]",
      "BINARY_EVENT att=2 nsp=/admin data=[\"baz\"," PH(0) "," PH(1) "]", true),
    Y("y_v5_event_ack_id", 5, "212[\"foo\"]", "EVENT nsp=/ id=12 data=[\"foo\"]", true),
    Y("y_v5_ack_admin", 5, "3/admin,13[\"bar\"]", "ACK nsp=/admin id=13 data=[\"bar\"]", true),
    /* erratum: the v5 document prints this example with a stray backtick */
    N("n_v5_ack_admin_erratum_backtick", 5, "3/admin,13[\"bar\"]`", E_JSON),
    Y("y_v5_binary_ack", 5, "61-15[\"bar\"," PH(0) "]",
      "BINARY_ACK att=1 nsp=/ id=15 data=[\"bar\"," PH(0) "]", true),
    Y("y_v5_disconnect_main", 5, "1", "DISCONNECT nsp=/", true),
    Y("y_v5_disconnect_admin", 5, "1/admin,", "DISCONNECT nsp=/admin", true),
    /* v5 §Sample session (its Engine.IO ping direction erratum is not ours) */
    Y("y_v5_session_sid", 5, "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}",
      "CONNECT nsp=/ data={\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", true),
    Y("y_v5_session_hey_jude", 5, "2[\"hey\",\"Jude\"]", "EVENT nsp=/ data=[\"hey\",\"Jude\"]", true),
    Y("y_v5_session_world", 5, "2[\"world\"]", "EVENT nsp=/ data=[\"world\"]", true),
    Y("y_v5_session_connect_admin", 5, "0/admin,", "CONNECT nsp=/admin", true),
    Y("y_v5_session_admin_sid", 5, "0/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}",
      "CONNECT nsp=/admin data={\"sid\":\"-G5j-67EZFp-q59rADQM\"}", true),
    Y("y_v5_session_tellme", 5, "2/admin,1[\"tellme\"]",
      "EVENT nsp=/admin id=1 data=[\"tellme\"]", true),
    Y("y_v5_session_binary_ack", 5, "61-/admin,1[" PH(0) "]",
      "BINARY_ACK att=1 nsp=/admin id=1 data=[" PH(0) "]", true),

    /* socket.io-protocol v4 §Examples (notes §4.4); type 4 is named ERROR */
    Y("y_v4_connect_main", 4, "0", "CONNECT nsp=/", true),
    Y("y_v4_connect_admin", 4, "0/admin,", "CONNECT nsp=/admin", true),
    Y("y_v4_disconnect_admin", 4, "1/admin,", "DISCONNECT nsp=/admin", true),
    Y("y_v4_event", 4, "2[\"hello\",1]", "EVENT nsp=/ data=[\"hello\",1]", true),
    Y("y_v4_event_ack", 4, "2/admin,456[\"project:delete\",123]",
      "EVENT nsp=/admin id=456 data=[\"project:delete\",123]", true),
    Y("y_v4_ack_empty", 4, "3/admin,456[]", "ACK nsp=/admin id=456 data=[]", true),
    Y("y_v4_error_string", 4, "4/admin,\"Not authorized\"",
      "ERROR nsp=/admin data=\"Not authorized\"", true),
    Y("y_v4_binary_event", 4, "51-[\"hello\"," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/ data=[\"hello\"," PH(0) "]", true),
    Y("y_v4_binary_event_ack", 4, "51-/admin,456[\"project:delete\"," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/admin id=456 data=[\"project:delete\"," PH(0) "]", true),
    Y("y_v4_binary_ack", 4, "61-/admin,456[" PH(0) "]",
      "BINARY_ACK att=1 nsp=/admin id=456 data=[" PH(0) "]", true),
    Y("y_v4_session_hey_jude", 4, "2[\"hey\",\"Jude\"]", "EVENT nsp=/ data=[\"hey\",\"Jude\"]", true),
    /* v4 auth travels as a query in the namespace */
    Y("y_v4_connect_query_auth", 4, "0/admin?token=1234&uid=abcd,",
      "CONNECT nsp=/admin?token=1234&uid=abcd", true),
    /* the v3 document writes these without the trailing comma */
    Y("y_v3_connect_no_comma", 4, "0/admin", "CONNECT nsp=/admin", false),
    Y("y_v3_disconnect_no_comma", 4, "1/admin", "DISCONNECT nsp=/admin", false),
    /* v4: ACK and ERROR "may contain a payload" */
    Y("y_v4_ack_without_payload", 4, "3/admin,456", "ACK nsp=/admin id=456", true),
    Y("y_v4_error_without_payload", 4, "4/admin,", "ERROR nsp=/admin", true),
    Y("y_v4_error_object", 4, "4{\"message\":\"x\"}", "ERROR nsp=/ data={\"message\":\"x\"}", true),
    /* v4 CONNECT has no payload; parser 3.x accepts any typeof "object" */
    I("i_v4_connect_object", 4, "0{}", E_PAY, "CONNECT nsp=/ data={}", Q_LEGACY),
    I("i_v4_connect_array", 4, "0[]", E_PAY, "CONNECT nsp=/ data=[]", Q_LEGACY),
    I("i_v4_connect_null", 4, "0null", E_PAY, "CONNECT nsp=/ data=null", Q_LEGACY),
    N("n_v4_connect_string", 4, "0\"x\"", E_PAY),
    /* parser 3.x: ERROR may be any typeof "object" */
    I("i_v4_error_array", 4, "4[]", E_PAY, "ERROR nsp=/ data=[]", Q_LEGACY),
    I("i_v4_error_null", 4, "4null", E_PAY, "ERROR nsp=/ data=null", Q_LEGACY),
    N("n_v4_error_bool", 4, "4true", E_PAY),
    /* parser 3.x has no reserved event names */
    I("i_v4_reserved_event", 4, "2[\"connect\"]", E_NAME, "EVENT nsp=/ data=[\"connect\"]", Q_LEGACY),
    N("n_v4_event_empty", 4, "2[]", E_NAME),
    I("i_v4_event_no_payload", 4, "2", E_MISS, "EVENT nsp=/", Q_NOPAY),
    N("n_v4_disconnect_payload", 4, "1{}", E_PAY),
    /* parser 3.x turns an unknown type into an ERROR packet; we reject */
    N("n_v4_unknown_type", 4, "7", E_TYPE),
    /* CVE-2026-69185 was fixed in 3.4.5 too */
    N("n_v4_zero_attachments", 4, "50-[\"a\"]", E_ATT),

    /* socket.io-parser test/parser.js and buffer.js: encodings it round-trips */
    Y("y_ref_connect_woot", 5, "0/woot,{\"token\":\"123\"}", "CONNECT nsp=/woot data={\"token\":\"123\"}", true),
    Y("y_ref_disconnect_woot", 5, "1/woot,", "DISCONNECT nsp=/woot", true),
    Y("y_ref_event", 5, "2[\"a\",1,{}]", "EVENT nsp=/ data=[\"a\",1,{}]", true),
    Y("y_ref_event_int_name", 5, "2[1,\"a\",{}]", "EVENT nsp=/ data=[1,\"a\",{}]", true),
    Y("y_ref_event_ack", 5, "2/test,1[\"a\",1,{}]", "EVENT nsp=/test id=1 data=[\"a\",1,{}]", true),
    Y("y_ref_ack", 5, "3123[\"a\",1,{}]", "ACK nsp=/ id=123 data=[\"a\",1,{}]", true),
    /* the reference (4.2.x) still takes a string CONNECT_ERROR */
    I("i_ref_connect_error_string", 5, "4\"Unauthorized\"", E_PAY,
      "CONNECT_ERROR nsp=/ data=\"Unauthorized\"", Q_CESTR),
    Y("y_ref_connect_error_object", 5, "4{\"message\":\"Unauthorized\"}",
      "CONNECT_ERROR nsp=/ data={\"message\":\"Unauthorized\"}", true),
    Y("y_ref_buffer", 5, "51-/cool,23[\"a\"," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/cool id=23 data=[\"a\"," PH(0) "]", true),
    Y("y_ref_nested_buffer", 5, "51-/cool,23[\"a\",{\"b\":[\"c\"," PH(0) "]}]",
      "BINARY_EVENT att=1 nsp=/cool id=23 data=[\"a\",{\"b\":[\"c\"," PH(0) "]}]", true),
    Y("y_ref_binary_ack", 5, "61-/back,127[\"a\"," PH(0) ",{}]",
      "BINARY_ACK att=1 nsp=/back id=127 data=[\"a\"," PH(0) ",{}]", true),
    Y("y_ref_arraybuffer_id0", 5, "51-0[\"a\"," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/ id=0 data=[\"a\"," PH(0) "]", true),
    Y("y_ref_deep", 5,
      "52-/deep,999[\"a\",{\"a\":\"hi\",\"b\":{\"why\":" PH(0) "},\"c\":{\"a\":\"bye\",\"b\":{\"a\":" PH(1) "}}}]",
      "BINARY_EVENT att=2 nsp=/deep id=999 data=[\"a\",{\"a\":\"hi\",\"b\":{\"why\":" PH(0)
      "},\"c\":{\"a\":\"bye\",\"b\":{\"a\":" PH(1) "}}}]", true),
    Y("y_ref_null_values", 5, "51-600[\"a\",{\"a\":\"b\",\"c\":4,\"e\":{\"g\":null},\"h\":" PH(0) "}]",
      "BINARY_EVENT att=1 nsp=/ id=600 data=[\"a\",{\"a\":\"b\",\"c\":4,\"e\":{\"g\":null},\"h\":"
      PH(0) "}]", true),
    /* parser.js "throw an error upon parsing error": invalid payload */
    N("n_ref_unterminated_array", 5, "442[\"some\",\"data\"", E_JSON),
    N("n_ref_connect_string", 5, "0/admin,\"invalid\"", E_PAY),
    N("n_ref_connect_array", 5, "0[]", E_PAY),
    N("n_ref_disconnect_payload", 5, "1/admin,{}", E_PAY),
    N("n_ref_unterminated_string", 5, "2/admin,\"invalid", E_JSON),
    N("n_ref_event_object", 5, "2/admin,{}", E_PAY),
    N("n_ref_event_name_object", 5, "2[{\"toString\":\"foo\"}]", E_NAME),
    N("n_ref_event_name_true", 5, "2[true,\"foo\"]", E_NAME),
    N("n_ref_event_name_null", 5, "2[null,\"bar\"]", E_NAME),
    N("n_ref_event_connect", 5, "2[\"connect\"]", E_NAME),
    N("n_ref_event_disconnect", 5, "2[\"disconnect\",\"123\"]", E_NAME),
    /* parser.js: Illegal attachments / unknown packet type */
    N("n_ref_bin_no_count", 5, "5", E_ATT),
    N("n_ref_bin_no_dash", 5, "51", E_ATT),
    N("n_ref_bin_zero", 5, "50-", E_ATT),
    N("n_ref_bin_alpha", 5, "5a-", E_ATT),
    N("n_ref_bin_fraction", 5, "51.23-", E_ATT),
    N("n_ref_type_9", 5, "999", E_TYPE),
    /* buffer.js: CVE-2022-2421 placeholders */
    N("n_ref_ph_splice", 5, "51-[\"hello\"," PHN("\"splice\"") "]", E_PH),
    N("n_ref_ph_out_of_range", 5, "51-[\"hello\"," PH(1) "]", E_PH),

    /* observed behaviour matrix (notes §2.8), codec-level rows */
    Y("y_s1_connect", 5, "0", "CONNECT nsp=/", true),
    Y("y_s2_connect_auth", 5, "0{\"token\":\"123\",\"pid\":\"x\",\"offset\":\"y\"}",
      "CONNECT nsp=/ data={\"token\":\"123\",\"pid\":\"x\",\"offset\":\"y\"}", true),
    Y("y_s3_connect_custom", 5, "0/custom,", "CONNECT nsp=/custom", true),
    Y("y_s3_connect_custom_no_comma", 5, "0/custom", "CONNECT nsp=/custom", false),
    Y("y_s4_trailing_slash", 5, "0/custom/", "CONNECT nsp=/custom/", false),
    Y("y_s4_upper", 5, "0/CUSTOM,", "CONNECT nsp=/CUSTOM", true),
    Y("y_s4_query", 5, "0/custom?x=1,", "CONNECT nsp=/custom?x=1", true),
    N("n_s5_word", 5, "0custom", E_JSON),
    N("n_s5_string", 5, "0\"x\"", E_PAY),
    N("n_s5_null", 5, "0/custom,null", E_PAY),
    N("n_s5_array", 5, "0/custom,[1]", E_PAY),
    N("n_s5_trailing_garbage", 5, "0{\"a\":[1,2]}extra", E_JSON),
    I("i_s6_trailing_space", 5, "0 ", E_ACK, "CONNECT nsp=/ id=0", Q_SPACE | Q_MISPL),
    I("i_s7_event_no_payload", 5, "2", E_MISS, "EVENT nsp=/", Q_NOPAY),
    N("n_s8_empty_array", 5, "2[]", E_NAME),
    Y("y_s9_message", 5, "2[\"message\"]", "EVENT nsp=/ data=[\"message\"]", true),
    Y("y_s10_numeric_name", 5, "2[1,2]", "EVENT nsp=/ data=[1,2]", true),
    Y("y_s12_ack_request", 5, "21[\"message-with-ack\"]",
      "EVENT nsp=/ id=1 data=[\"message-with-ack\"]", true),
    I("i_s13_space_ack_id", 5, "2 [\"message-with-ack\",1]", E_ACK,
      "EVENT nsp=/ id=0 data=[\"message-with-ack\",1]", Q_SPACE),
    /* JS rounds this id to 1.2345678901234568e+29; we refuse ids above 2^53-1 */
    N("n_s14_30_digit_ack_id", 5, "2123456789012345678901234567890[\"a\"]", E_ACK),
    I("i_s15_ack_bare", 5, "3", E_ACK, "ACK nsp=/", Q_NOPAY | Q_NOID),
    I("i_s15_ack_no_id", 5, "3[]", E_ACK, "ACK nsp=/ data=[]", Q_NOID),
    Y("y_s15_ack_unknown_id", 5, "399[]", "ACK nsp=/ id=99 data=[]", true),
    Y("y_s17_client_connect_error", 5, "4{\"message\":\"x\"}",
      "CONNECT_ERROR nsp=/ data={\"message\":\"x\"}", true),
    /* the Engine.IO message "4" carries an empty Socket.IO packet */
    I("i_s18_empty", 5, "", E_TYPE, "CONNECT nsp=/", Q_TYPEWS),
    N("n_s18_letter", 5, "a", E_TYPE),
    N("n_s18_word", 5, "abc", E_TYPE),
    N("n_s18_type_7", 5, "7", E_TYPE),
    N("n_s20_eleven_attachments", 5, "511-[\"message\"]", E_MANY),
    I("i_s21_unreferenced", 5, "510-[\"message\"]", E_PH,
      "BINARY_EVENT att=10 nsp=/ data=[\"message\"]", Q_UNREF),
    N("n_s22_zero_attachments", 5, "50-[\"message\",\"x\"]", E_ATT),
    Y("y_s26_binary_ack", 5, "61-789[" PH(0) "]", "BINARY_ACK att=1 nsp=/ id=789 data=[" PH(0) "]", true),
    Y("y_s28_proto_key", 5, "2[\"message\",{\"__proto__\":{\"x\":1}}]",
      "EVENT nsp=/ data=[\"message\",{\"__proto__\":{\"x\":1}}]", true),
    Y("y_s30_reversed", 5, "52-3[\"message-with-ack\"," PH(1) "," PH(0) "]",
      "BINARY_EVENT att=2 nsp=/ id=3 data=[\"message-with-ack\"," PH(1) "," PH(0) "]", true),

    /* CVE-2022-2421: placeholder num must index an attachment */
    N("n_cve_2022_2421_tostring", 5, "51-[\"a\"," PHN("\"toString\"") "]", E_PH),
    N("n_cve_2022_2421_proto", 5, "51-[\"a\"," PHN("\"__proto__\"") "]", E_PH),
    N("n_cve_2022_2421_minus_one", 5, "51-[\"a\"," PHN("-1") "]", E_PH),
    /* JS would put undefined there; we refuse a non-integer index */
    N("n_cve_2022_2421_fraction", 5, "52-[\"a\"," PH(0) "," PHN("1.5") "]", E_PH),
    N("n_cve_2022_2421_1e3", 5, "51-[\"a\"," PHN("1e3") "]", E_PH),
    N("n_cve_2022_2421_null", 5, "51-[\"a\"," PHN("null") "]", E_PH),
    N("n_ph_num_true", 5, "51-[\"a\"," PHN("true") "]", E_PH),
    N("n_ph_num_missing", 5, "51-[\"a\",{\"_placeholder\":true}]", E_PH),
    N("n_ph_num_string_digit", 5, "51-[\"a\"," PHN("\"0\"") "]", E_PH),
    /* CVE-2023-32695: event names that crash EventEmitter or are reserved */
    N("n_cve_2023_32695_array_name", 5, "2[[1]]", E_NAME),
    N("n_cve_2023_32695_new_listener", 5, "2[\"newListener\"]", E_NAME),
    N("n_reserved_remove_listener", 5, "2[\"removeListener\",1]", E_NAME),
    N("n_reserved_connect_error", 5, "2[\"connect_error\"]", E_NAME),
    N("n_reserved_disconnecting", 5, "2[\"disconnecting\"]", E_NAME),
    /* escapes are compared after unescaping */
    N("n_reserved_escaped", 5, "2[\"conn\\u0065ct\"]", E_NAME),
    /* CVE-2026-33151: attachment counts above the limit */
    N("n_cve_2026_33151_eleven", 5, "511-[\"message\"]", E_MANY),
    N("n_cve_2026_33151_huge", 5, "599999999-[\"message\"]", E_MANY),
    NN("n_cve_2026_33151_exp", 5, "51e9-[\"message\"]", E_ATT, E_MANY),
    /* CVE-2026-69185: zero attachments */
    N("n_cve_2026_69185", 5, "50-[\"a\"]", E_ATT),
    /* CVE-2024-38355: "error" is an ordinary event name */
    Y("y_cve_2024_38355", 5, "2[\"error\"]", "EVENT nsp=/ data=[\"error\"]", true),
    Y("y_cve_2024_38355_arg", 5, "2[\"error\",{}]", "EVENT nsp=/ data=[\"error\",{}]", true),
    Y("y_cve_2024_38355_ack", 5, "27[\"error\"]", "EVENT nsp=/ id=7 data=[\"error\"]", true),
    Y("y_cve_2024_38355_nsp", 5, "2/custom,[\"error\"]", "EVENT nsp=/custom data=[\"error\"]", true),

    /* compat: whitespace in the ack-id position is the digit 0, trimmed */
    I("i_space_then_digit", 5, "2 1[\"x\"]", E_ACK, "EVENT nsp=/ id=1 data=[\"x\"]", Q_SPACE),
    I("i_digit_then_space", 5, "21 [\"x\"]", E_ACK, "EVENT nsp=/ id=1 data=[\"x\"]", Q_SPACE),
    I("i_two_spaces", 5, "2  [\"x\"]", E_ACK, "EVENT nsp=/ id=0 data=[\"x\"]", Q_SPACE),
    /* JS gets NaN for "1 2"; we refuse */
    N("n_space_inside_ack_id", 5, "21 2[\"x\"]", E_ACK),
    I("i_nbsp_ack_id", 5, "2\xc2\xa0" "1[\"x\"]", E_ACK, "EVENT nsp=/ id=1 data=[\"x\"]", Q_SPACE),
    I("i_line_separator_ack_id", 5, "2\xe2\x80\xa8[\"a\"]", E_ACK, "EVENT nsp=/ id=0 data=[\"a\"]", Q_SPACE),
    I("i_vtab_ack_id", 5, "2\x0b[\"a\"]", E_ACK, "EVENT nsp=/ id=0 data=[\"a\"]", Q_SPACE),
    I("i_unicode_spaces_ack_id", 5,
      "2\xe3\x80\x80\xe2\x81\x9f\xe2\x80\xaf\xe2\x80\x80\xe2\x80\x8a\xe1\x9a\x80\xe2\x80\xa9\xef\xbb\xbf\x0c\r\n[\"x\"]",
      E_ACK, "EVENT nsp=/ id=0 data=[\"x\"]", Q_SPACE),
    /* not JS whitespace: U+180E, U+200B, U+0085 */
    N("n_mongolian_vowel_separator", 5, "2\xe1\xa0\x8e[\"a\"]", E_JSON),
    N("n_zero_width_space", 5, "2\xe2\x80\x8b[\"a\"]", E_JSON),
    N("n_next_line", 5, "2\xc2\x85[\"a\"]", E_JSON),
    I("i_disconnect_space", 5, "1 ", E_ACK, "DISCONNECT nsp=/ id=0", Q_SPACE | Q_MISPL),
    I("i_nsp_space", 5, "2/a, ", E_ACK, "EVENT nsp=/a id=0", Q_SPACE | Q_NOPAY),
    I("i_nsp_id_space", 5, "2/a,1 [\"a\"]", E_ACK, "EVENT nsp=/a id=1 data=[\"a\"]", Q_SPACE),
    /* JSON.parse takes trailing ASCII whitespace but not U+00A0 */
    Y("y_trailing_space_after_json", 5, "2[\"a\"] ", "EVENT nsp=/ data=[\"a\"] ", false),
    N("n_trailing_nbsp_after_json", 5, "2[\"a\"]\xc2\xa0", E_JSON),
    /* compat: Number("") and Number(" ") are 0, so the type is CONNECT */
    I("i_space_type", 5, " ", E_TYPE, "CONNECT nsp=/", Q_TYPEWS),
    I("i_space_type_object", 5, " {}", E_TYPE, "CONNECT nsp=/ data={}", Q_TYPEWS),
    I("i_nbsp_type_object", 5, "\xc2\xa0{}", E_TYPE, "CONNECT nsp=/ data={}", Q_TYPEWS),
    I("i_bom_type_object", 5, "\xef\xbb\xbf{}", E_TYPE, "CONNECT nsp=/ data={}", Q_TYPEWS),
    I("i_tab_type_digit", 5, "\t1", E_TYPE, "CONNECT nsp=/ id=1", Q_TYPEWS | Q_MISPL),
    N("n_type_invalid_utf8", 5, "\xff", E_TYPE),
    N("n_type_8", 5, "8", E_TYPE),
    /* compat: the attachment count is whatever integer JS Number() reads */
    I("i_att_decimal_zero", 5, "51.0-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_leading_space", 5, "5 1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_plus", 5, "5+1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_hex", 5, "50x1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_hex_upper", 5, "50X2-[\"a\"," PH(0) "," PH(1) "]", E_ATT,
      "BINARY_EVENT att=2 nsp=/ data=[\"a\"," PH(0) "," PH(1) "]", Q_LOOSE),
    I("i_att_octal", 5, "50o1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_binary", 5, "50b1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_exponent", 5, "51e0-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_exponent_upper", 5, "51E0-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_fraction_exponent", 5, "5.1e1-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_trailing_dot", 5, "51.-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    /* rounds to 1 as a double */
    I("i_att_rounds_to_one", 5, "50.99999999999999999-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    I("i_att_nbsp_around", 5, "5\xc2\xa0" "1\xc2\xa0-[\"a\"," PH(0) "]", E_ATT,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", Q_LOOSE),
    N("n_att_dot_only", 5, "5.-[\"a\"]", E_ATT),
    N("n_att_exponent_only", 5, "5e1-[\"a\"]", E_ATT),
    N("n_att_infinity", 5, "5Infinity-[\"a\"]", E_ATT),
    N("n_att_empty", 5, "5-[\"a\"]", E_ATT),
    N("n_att_space_only", 5, "5 -[\"a\"]", E_ATT),
    N("n_att_signed_hex", 5, "5+0x1-[\"a\"]", E_ATT),
    N("n_att_underscore", 5, "51_0-[\"a\"]", E_ATT),
    N("n_att_dash_in_json", 5, "51[\"a-b\"]", E_ATT),
    N("n_att_leading_zero_eleven", 5, "5011-[\"a\"]", E_MANY),
    Y("y_att_leading_zeros", 5, "5001-[\"a\"," PH(0) "]", "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", false),
    /* compat: ack ids on types that take none */
    I("i_connect_error_ack_id", 5, "44{}", E_ACK, "CONNECT_ERROR nsp=/ id=4 data={}", Q_MISPL),
    I("i_disconnect_ack_id", 5, "1/a,1", E_ACK, "DISCONNECT nsp=/a id=1", Q_MISPL),
    I("i_connect_error_string_id", 5, "41\"x\"", E_ACK, "CONNECT_ERROR nsp=/ id=1 data=\"x\"",
      Q_MISPL | Q_CESTR),
    I("i_connect_error_no_payload", 5, "4", E_MISS, "CONNECT_ERROR nsp=/", Q_NOPAY),
    /* namespaces run to the first ',' or the end */
    Y("y_nsp_no_comma", 5, "0/a", "CONNECT nsp=/a", false),
    I("i_nsp_swallows_rest", 5, "2/admin12[\"a\"]", E_MISS, "EVENT nsp=/admin12[\"a\"]", Q_NOPAY),
    Y("y_nsp_root_explicit", 5, "2/,1[\"a\"]", "EVENT nsp=/ id=1 data=[\"a\"]", false),
    Y("y_nsp_slash_only", 5, "0/", "CONNECT nsp=/", false),
    N("n_nsp_comma_without_slash", 5, "0,", E_JSON),
    N("n_nsp_missing_slash", 5, "2,[\"a\"]", E_JSON),
    N("n_nsp_second_comma", 5, "2/a,b,1[\"a\"]", E_JSON),
    I("i_nsp_invalid_utf8", 5, "2/\xff,[\"a\"]", CDC_ERR_UTF8, "EVENT nsp=/\\xff data=[\"a\"]", Q_UTF8),
    I("i_json_invalid_utf8", 5, "2[\"\xff\"]", CDC_ERR_UTF8, "EVENT nsp=/ data=[\"\\xff\"]", Q_UTF8),
    Y("y_nsp_utf8", 5, "2/\xc3\xa9,[\"a\"]", "EVENT nsp=/\\xc3\\xa9 data=[\"a\"]", true),
    /* ack ids up to 2^53-1 */
    Y("y_ack_id_max", 5, "29007199254740991[\"a\"]", "EVENT nsp=/ id=9007199254740991 data=[\"a\"]", true),
    N("n_ack_id_above_max", 5, "29007199254740992[\"a\"]", E_ACK),
    Y("y_ack_id_zero", 5, "20[\"a\"]", "EVENT nsp=/ id=0 data=[\"a\"]", true),
    Y("y_ack_id_leading_zeros", 5, "2007[\"a\"]", "EVENT nsp=/ id=7 data=[\"a\"]", false),
    /* payload shapes */
    N("n_event_string", 5, "2\"x\"", E_PAY),
    N("n_event_null", 5, "2null", E_PAY),
    N("n_event_number", 5, "21.5", E_JSON),
    Y("y_event_float_name", 5, "2[1.5,\"x\"]", "EVENT nsp=/ data=[1.5,\"x\"]", true),
    Y("y_event_unicode_name", 5, "2[\"\\u00e9\"]", "EVENT nsp=/ data=[\"\\x5cu00e9\"]", true),
    N("n_ack_object", 5, "31{}", E_PAY),
    N("n_ack_string", 5, "31\"x\"", E_PAY),
    N("n_connect_error_array", 5, "4[]", E_PAY),
    N("n_connect_error_null", 5, "4null", E_PAY),
    N("n_connect_null", 5, "0null", E_PAY),
    N("n_disconnect_array", 5, "1[]", E_PAY),
    N("n_json_two_values", 5, "2[\"a\"][\"b\"]", E_JSON),
    {"n_json_nul_byte", 5, "2[\"a\"]\0", 7, E_JSON, E_JSON, NULL, 0, false},
    /* placeholders: only binary packets have them; true must be JSON true */
    Y("y_ph_in_plain_event_is_data", 5, "2[\"a\"," PH(9) "]", "EVENT nsp=/ data=[\"a\"," PH(9) "]", true),
    Y("y_ph_false_is_data", 5, "51-[\"a\",{\"_placeholder\":false,\"num\":7}," PH(0) "]",
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"_placeholder\":false,\"num\":7}," PH(0) "]", true),
    I("i_ph_string_true_is_data", 5, "51-[\"a\",{\"_placeholder\":\"true\",\"num\":5}]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"_placeholder\":\"true\",\"num\":5}]", Q_UNREF),
    Y("y_ph_duplicate_reference", 5, "62-1[" PH(1) "," PH(0) "," PH(1) "]",
      "BINARY_ACK att=2 nsp=/ id=1 data=[" PH(1) "," PH(0) "," PH(1) "]", true),
    Y("y_ph_key_order", 5, "51-[\"a\",{\"num\":0,\"_placeholder\":true}]",
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"num\":0,\"_placeholder\":true}]", true),
    I("i_ph_unreferenced", 5, "52-[\"a\"," PH(0) "]", E_PH,
      "BINARY_EVENT att=2 nsp=/ data=[\"a\"," PH(0) "]", Q_UNREF),
    I("i_ph_no_payload", 5, "51-", E_MISS, "BINARY_EVENT att=1 nsp=/", Q_NOPAY | Q_UNREF),
    I("i_ph_extra_key", 5, "51-[\"a\",{\"_placeholder\":true,\"num\":0,\"x\":1}]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"_placeholder\":true,\"num\":0,\"x\":1}]", Q_EXTRA),
    /* JSON.parse keeps the last duplicate */
    I("i_ph_duplicate_num", 5, "51-[\"a\",{\"_placeholder\":true,\"num\":5,\"num\":0}]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"_placeholder\":true,\"num\":5,\"num\":0}]", Q_EXTRA),
    /* the members of a placeholder are never examined */
    I("i_ph_nested_bad_ignored", 5,
      "51-[\"a\",{\"_placeholder\":true,\"num\":0,\"x\":" PHN("\"bad\"") "}]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\",{\"_placeholder\":true,\"num\":0,\"x\":" PHN("\"bad\"") "}]",
      Q_EXTRA),
    I("i_ph_nested_valid", 5, "52-[\"a\",{\"_placeholder\":true,\"num\":1,\"x\":" PH(0) "}]", E_PH,
      "BINARY_EVENT att=2 nsp=/ data=[\"a\",{\"_placeholder\":true,\"num\":1,\"x\":" PH(0) "}]",
      Q_EXTRA | Q_UNREF),
    /* compat: num is any number JS reads as an index */
    I("i_ph_num_float_zero", 5, "51-[\"a\"," PHN("0.0") "]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PHN("0.0") "]", Q_PHNUM),
    I("i_ph_num_minus_zero", 5, "51-[\"a\"," PHN("-0") "]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PHN("-0") "]", Q_PHNUM),
    I("i_ph_num_exponent", 5, "52-[\"a\"," PH(0) "," PHN("1e0") "]", E_PH,
      "BINARY_EVENT att=2 nsp=/ data=[\"a\"," PH(0) "," PHN("1e0") "]", Q_PHNUM),
    I("i_ph_num_rounds_up", 5, "52-[\"a\"," PH(0) "," PHN("0.99999999999999999") "]", E_PH,
      "BINARY_EVENT att=2 nsp=/ data=[\"a\"," PH(0) "," PHN("0.99999999999999999") "]", Q_PHNUM),
    I("i_ph_num_underflow", 5, "51-[\"a\"," PHN("1e-400") "]", E_PH,
      "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PHN("1e-400") "]", Q_PHNUM),
    N("n_ph_num_denormal", 5, "51-[\"a\"," PHN("2.5e-324") "]", E_PH),
};
/* clang-format on */

const size_t ts_vectors_n = sizeof(ts_vectors) / sizeof(ts_vectors[0]);
