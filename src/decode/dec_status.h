/* decode/dec_status.h: why a decoder rejected (part of) a datagram.
 *
 * One value per reason. The enum indexes each exporter's error counters and
 * names the reason in logs and metrics, so a new reason is added here with
 * its name in dec_status.c and nowhere else. DEC_OK is 0 so that "st != 0"
 * reads as "failed". */
#ifndef OF_DECODE_DEC_STATUS_H
#define OF_DECODE_DEC_STATUS_H

enum dec_status {
    DEC_OK = 0,
    DEC_SHORT_HEADER,       /* datagram shorter than its protocol's header */
    DEC_BAD_VERSION,        /* neither NetFlow v5/v9, IPFIX nor sFlow v5 */
    DEC_BAD_COUNT,          /* header record count disagrees with the length */
    DEC_BAD_LENGTH,         /* message length field disagrees with the datagram */
    DEC_BAD_SET_LENGTH,     /* v9/IPFIX set shorter than its header */
    DEC_SET_PAST_END,       /* set length points past the message */
    DEC_BAD_SET_ID,         /* reserved set id (2..255 other than the template ids) */
    DEC_TPL_BAD_ID,         /* template id below 256 */
    DEC_TPL_FIELD_COUNT,    /* zero or too many fields in a template */
    DEC_TPL_BAD_FIELD,      /* field of length 0 or bad variable length */
    DEC_TPL_TRUNCATED,      /* template record runs past its set */
    DEC_TPL_LIMIT,          /* template cache for this exporter is full */
    DEC_TPL_CHANGED,        /* a template was redefined (counted, not an error) */
    DEC_NO_TEMPLATE,        /* data set before (or without) its template */
    DEC_RECORD_TRUNCATED,   /* data record runs past its set */
    DEC_RECORD_TOO_SHORT,   /* template gives a record too short to hold a flow */
    DEC_TOO_MANY_RECORDS,   /* more records in one datagram than we take */
    DEC_NOT_IP,             /* flow record or sampled packet without IP addresses */
    DEC_BAD_ADDRESS_TYPE,   /* sFlow agent or v5 address of an unknown type */
    DEC_SAMPLE_COUNT,       /* sFlow sample count disagrees with the datagram */
    DEC_SAMPLE_TRUNCATED,   /* sFlow sample runs past the datagram */
    DEC_RECORD_COUNT,       /* sFlow flow record count disagrees with the sample */
    DEC_BAD_HEADER_PROTO,   /* sFlow sampled header of a protocol we don't parse */
    DEC_HEADER_TRUNCATED,   /* sampled packet header cut before the IP header */
    DEC_TOO_MANY_TAGS,      /* more VLAN/MPLS labels than we follow */
    DEC_EXPORTER_LIMIT,     /* the exporter table is full: datagram dropped */
    DEC_ZERO_SAMPLING,      /* sFlow sample with sampling rate 0 */
    DEC_NOT_FIRST_FRAGMENT, /* capture: IP fragment that holds no UDP header */
    DEC_NOT_UDP,            /* capture: packet that is not UDP over IP */
    DEC_BAD_LINKTYPE,       /* capture: link layer we don't read */
    DEC__COUNT
};

/* Short lower_snake name of a status, for logs and metrics; never NULL. */
const char *dec_status_name(enum dec_status st);

#endif
