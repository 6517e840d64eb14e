/* decode/dec_status.c: names of the decoder reject reasons. */
#include "decode/dec_status.h"

#include "util/compiler.h"

static const char *const dec_names[DEC__COUNT] = {
    [DEC_OK] = "ok",
    [DEC_SHORT_HEADER] = "short_header",
    [DEC_BAD_VERSION] = "bad_version",
    [DEC_BAD_COUNT] = "bad_count",
    [DEC_BAD_LENGTH] = "bad_length",
    [DEC_BAD_SET_LENGTH] = "bad_set_length",
    [DEC_SET_PAST_END] = "set_past_end",
    [DEC_BAD_SET_ID] = "bad_set_id",
    [DEC_TPL_BAD_ID] = "template_bad_id",
    [DEC_TPL_FIELD_COUNT] = "template_field_count",
    [DEC_TPL_BAD_FIELD] = "template_bad_field",
    [DEC_TPL_TRUNCATED] = "template_truncated",
    [DEC_TPL_LIMIT] = "template_limit",
    [DEC_TPL_CHANGED] = "template_changed",
    [DEC_NO_TEMPLATE] = "no_template",
    [DEC_RECORD_TRUNCATED] = "record_truncated",
    [DEC_RECORD_TOO_SHORT] = "record_too_short",
    [DEC_TOO_MANY_RECORDS] = "too_many_records",
    [DEC_NOT_IP] = "not_ip",
    [DEC_BAD_ADDRESS_TYPE] = "bad_address_type",
    [DEC_SAMPLE_COUNT] = "sample_count",
    [DEC_SAMPLE_TRUNCATED] = "sample_truncated",
    [DEC_RECORD_COUNT] = "record_count",
    [DEC_BAD_HEADER_PROTO] = "bad_header_protocol",
    [DEC_HEADER_TRUNCATED] = "header_truncated",
    [DEC_TOO_MANY_TAGS] = "too_many_tags",
    [DEC_EXPORTER_LIMIT] = "exporter_limit",
    [DEC_ZERO_SAMPLING] = "zero_sampling",
    [DEC_NOT_FIRST_FRAGMENT] = "not_first_fragment",
    [DEC_NOT_UDP] = "not_udp",
    [DEC_BAD_LINKTYPE] = "bad_linktype",
};

const char *dec_status_name(enum dec_status st)
{
    if ((unsigned)st >= OF_ARRAY_LEN(dec_names) || !dec_names[st])
        return "unknown";
    return dec_names[st];
}
