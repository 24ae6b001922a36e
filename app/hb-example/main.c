/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 HyperBuf developers
 */

/*
 * hb-example: the life of one message, told with HyperBuf.
 *
 *  1. build a body of fixed-size records by appending them one by one to an
 *     empty buffer (the chain grows as needed);
 *  2. prepend a 42-byte message header and fill its big-endian fields in
 *     place with the typed accessors;
 *  3. parse the whole message again with a read cursor;
 *  4. cut it, without copying a payload byte, into packets of at most
 *     --mtu bytes, detach each one as a plain mbuf chain (what
 *     rte_eth_tx_burst() would take) and check it with rte_mbuf_check();
 *  5. free the packets and show that the pool is back to zero mbufs in use.
 *
 * Run (EAL arguments first, then ours after "--"):
 *   hb-example --no-huge -m 512 --no-pci --no-shconf --file-prefix hbx \
 *       -- --size 65536 --record 64 --mtu 1500
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <hyperbuf.h>

/*
 * Message header: 42 bytes, every integer big endian (network order).
 * The same size as Ethernet + IPv4 + UDP headers, which a real sender
 * would prepend to each packet instead.
 */
#define HDR_MAGIC	0	/* be32: HDR_MAGIC_VALUE */
#define HDR_VERSION	4	/* be16: HDR_VERSION_VALUE */
#define HDR_LEN		6	/* be16: header length, HDR_SIZE */
#define HDR_BODY_LEN	8	/* be32: body length in bytes */
#define HDR_NB_REC	12	/* be32: number of records in the body */
#define HDR_REC_LEN	16	/* be16: length of one record */
#define HDR_FLAGS	18	/* be16: 0 */
#define HDR_BODY_HASH	20	/* be64: FNV-1a hash of the record payloads */
#define HDR_SENDER	28	/* 14 bytes: sender name, NUL padded */
#define HDR_SENDER_LEN	14
#define HDR_SIZE	42

#define HDR_MAGIC_VALUE		UINT32_C(0x48425831)	/* "HBX1" */
#define HDR_VERSION_VALUE	1

/* Record: be32 sequence number, be16 record length, then payload. */
#define REC_HDR_SIZE	6

/* Limits of the command line options. */
#define MIN_RECORD	8
#define MAX_RECORD	4096
#define MAX_BODY	(16u << 20)
#define MIN_MTU		64
#define MAX_MTU		UINT16_MAX

#define FNV_OFFSET	UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME	UINT64_C(0x100000001b3)

/* Options, with their defaults. */
static uint32_t body_size = 64 * 1024;	/* --size */
static uint32_t record_size = 64;	/* --record */
static uint32_t mtu = 1500;		/* --mtu */

static const char short_options[] =
	"s:"	/* body size */
	"r:"	/* record (append) size */
	"m:"	/* maximum packet size */
	"h"	/* help */
	;

static const struct option long_options[] = {
	{ "size", required_argument, NULL, 's' },
	{ "record", required_argument, NULL, 'r' },
	{ "mtu", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(const char *prgname)
{
	printf("%s [EAL options] -- [-s BYTES] [-r BYTES] [-m BYTES] [-h]\n"
	       "  -s, --size BYTES    message body size, a multiple of the record"
	       " size (default 65536, at most %u)\n"
	       "  -r, --record BYTES  record size: the body is built by appends"
	       " of this size (default 64, %u..%u)\n"
	       "  -m, --mtu BYTES     maximum packet size (default 1500,"
	       " %u..%u)\n"
	       "  -h, --help          print this help and exit\n",
	       prgname, MAX_BODY, MIN_RECORD, MAX_RECORD, MIN_MTU, MAX_MTU);
}

/* Parse a decimal number in [min, max]; -1 if it is not one. */
static int
parse_uint(const char *arg, unsigned long min, unsigned long max,
	   uint32_t *val)
{
	unsigned long v;
	char *end = NULL;

	if (arg == NULL || *arg < '0' || *arg > '9')
		return -1;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno != 0 || end == NULL || *end != '\0' || v < min || v > max)
		return -1;
	*val = (uint32_t)v;
	return 0;
}

/* Parse the application arguments; -1 on error, 1 if help was asked. */
static int
parse_args(int argc, char **argv)
{
	const char *prgname = argv[0];
	int opt, option_index;

	while ((opt = getopt_long(argc, argv, short_options, long_options,
				  &option_index)) != EOF) {
		switch (opt) {
		case 's':
			if (parse_uint(optarg, 1, MAX_BODY, &body_size) < 0) {
				printf("invalid body size '%s'\n", optarg);
				return -1;
			}
			break;
		case 'r':
			if (parse_uint(optarg, MIN_RECORD, MAX_RECORD,
				       &record_size) < 0) {
				printf("invalid record size '%s'\n", optarg);
				return -1;
			}
			break;
		case 'm':
			if (parse_uint(optarg, MIN_MTU, MAX_MTU, &mtu) < 0) {
				printf("invalid mtu '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(prgname);
			return 1;
		default:
			usage(prgname);
			return -1;
		}
	}
	if (optind < argc) {
		printf("unexpected argument '%s'\n", argv[optind]);
		usage(prgname);
		return -1;
	}
	if (body_size % record_size != 0) {
		printf("body size %" PRIu32 " is not a multiple of the record"
		       " size %" PRIu32 "\n", body_size, record_size);
		return -1;
	}
	return 0;
}

static uint64_t
fnv1a(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * FNV_PRIME;
	return h;
}

/* Record @seq: its sequence number, its length, then payload bytes. */
static void
record_fill(uint8_t *rec, uint32_t seq)
{
	uint32_t be_seq = rte_cpu_to_be_32(seq);
	uint16_t be_len = rte_cpu_to_be_16((uint16_t)record_size);
	uint32_t i;

	memcpy(rec, &be_seq, sizeof(be_seq));
	memcpy(rec + 4, &be_len, sizeof(be_len));
	for (i = REC_HDR_SIZE; i < record_size; i++)
		rec[i] = (uint8_t)(seq * 31u + i);
}

/*
 * Steps 1 and 2: body by appends, then the header in front of it.
 * Returns 0 or a negative errno; on failure @msg keeps what it had.
 */
static int
build_message(struct hb_buf *msg)
{
	static const char sender[HDR_SENDER_LEN] = "hb-example";
	uint8_t rec[MAX_RECORD], hdr[HDR_SIZE];
	uint32_t seq, nb_rec = body_size / record_size;
	uint64_t hash = FNV_OFFSET;
	int ret;

	for (seq = 0; seq < nb_rec; seq++) {
		record_fill(rec, seq);
		hash = fnv1a(hash, rec + REC_HDR_SIZE,
			     record_size - REC_HDR_SIZE);
		ret = hb_buf_append(msg, rec, record_size);
		if (ret < 0)
			return ret;
	}

	/* A zeroed header with the sender name, then its typed fields. */
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr + HDR_SENDER, sender, sizeof(sender));
	ret = hb_buf_prepend(msg, hdr, sizeof(hdr));
	if (ret == 0)
		ret = hb_buf_put_be32(msg, HDR_MAGIC, HDR_MAGIC_VALUE);
	if (ret == 0)
		ret = hb_buf_put_be16(msg, HDR_VERSION, HDR_VERSION_VALUE);
	if (ret == 0)
		ret = hb_buf_put_be16(msg, HDR_LEN, HDR_SIZE);
	if (ret == 0)
		ret = hb_buf_put_be32(msg, HDR_BODY_LEN, body_size);
	if (ret == 0)
		ret = hb_buf_put_be32(msg, HDR_NB_REC, nb_rec);
	if (ret == 0)
		ret = hb_buf_put_be16(msg, HDR_REC_LEN, (uint16_t)record_size);
	if (ret == 0)
		ret = hb_buf_put_be64(msg, HDR_BODY_HASH, hash);
	return ret;
}

/*
 * Step 3: parse the message front to back with a cursor and check every
 * field. Counts the records the cursor had to copy because they cross a
 * segment boundary. Returns 0, or -1 after printing what is wrong.
 */
static int
parse_message(const struct hb_buf *msg, uint32_t *nb_copied)
{
	uint8_t scratch[MAX_RECORD];
	uint32_t magic = 0, body_len = 0, nb_rec = 0, seq = 0, i;
	uint16_t version = 0, hdr_len = 0, rec_len = 0, len = 0;
	uint64_t want_hash = 0, hash = FNV_OFFSET;
	const void *sender, *rec;
	struct hb_cursor c;
	int ret;

	ret = hb_cursor_init(&c, msg, 0);
	if (ret == 0)
		ret = hb_cursor_get_be32(&c, &magic);
	if (ret == 0)
		ret = hb_cursor_get_be16(&c, &version);
	if (ret == 0)
		ret = hb_cursor_get_be16(&c, &hdr_len);
	if (ret == 0)
		ret = hb_cursor_get_be32(&c, &body_len);
	if (ret == 0)
		ret = hb_cursor_get_be32(&c, &nb_rec);
	if (ret == 0)
		ret = hb_cursor_get_be16(&c, &rec_len);
	if (ret == 0)
		ret = hb_cursor_skip(&c, 2); /* flags */
	if (ret == 0)
		ret = hb_cursor_get_be64(&c, &want_hash);
	if (ret < 0) {
		printf("header: cursor error %s\n", strerror(-ret));
		return -1;
	}
	sender = hb_cursor_pull(&c, HDR_SENDER_LEN, scratch);
	if (sender == NULL) {
		printf("header: cursor error %s\n", rte_strerror(rte_errno));
		return -1;
	}
	if (magic != HDR_MAGIC_VALUE || version != HDR_VERSION_VALUE ||
	    hdr_len != HDR_SIZE || body_len != body_size ||
	    rec_len != record_size || nb_rec != body_size / record_size ||
	    strncmp(sender, "hb-example", HDR_SENDER_LEN) != 0) {
		printf("header: unexpected field values\n");
		return -1;
	}

	*nb_copied = 0;
	for (i = 0; i < nb_rec; i++) {
		if (hb_cursor_get_be32(&c, &seq) < 0 ||
		    hb_cursor_get_be16(&c, &len) < 0) {
			printf("record %" PRIu32 ": truncated\n", i);
			return -1;
		}
		if (seq != i || len != rec_len) {
			printf("record %" PRIu32 ": seq %" PRIu32 " len %u\n",
			       i, seq, len);
			return -1;
		}
		/* The payload: a pointer into the segment, or a copy. */
		rec = hb_cursor_pull(&c, len - REC_HDR_SIZE, scratch);
		if (rec == NULL) {
			printf("record %" PRIu32 ": %s\n", i,
			       rte_strerror(rte_errno));
			return -1;
		}
		if (rec == scratch)
			(*nb_copied)++;
		hash = fnv1a(hash, rec, len - REC_HDR_SIZE);
	}
	if (hb_cursor_remaining(&c) != 0 || hash != want_hash) {
		printf("body: %" PRIu32 " bytes left, hash %s\n",
		       hb_cursor_remaining(&c),
		       hash == want_hash ? "ok" : "WRONG");
		return -1;
	}
	return 0;
}

/* Hash of the whole buffer, through the segments hb_buf_iov() lists. */
static int
hash_buffer(const struct hb_buf *b, uint64_t *hash)
{
	struct iovec *iov;
	int n, i;

	n = hb_buf_iov(b, 0, hb_buf_len(b), NULL, 0);
	if (n < 0)
		return n;
	iov = calloc(RTE_MAX(n, 1), sizeof(*iov));
	if (iov == NULL)
		return -ENOMEM;
	n = hb_buf_iov(b, 0, hb_buf_len(b), iov, n);
	*hash = FNV_OFFSET;
	for (i = 0; i < n; i++)
		*hash = fnv1a(*hash, iov[i].iov_base, iov[i].iov_len);
	free(iov);
	return n < 0 ? n : 0;
}

struct pkt_stats {
	uint32_t nb_pkts;
	uint32_t min_segs;
	uint32_t max_segs;
	uint32_t nb_indirect;	/* segments sharing another one's data */
	uint64_t hash;		/* of all packets, in order */
};

/*
 * Step 4: cut @bufs[0] into packets of at most mtu bytes. Two buffers take
 * turns: the first mtu bytes stay in one, the rest moves to the other.
 * Returns 0 or a negative errno; the packets made so far are in @pkts
 * either way, whatever is not cut yet stays in @bufs.
 */
static int
cut_packets(struct hb_buf bufs[2], struct rte_mbuf **pkts, uint32_t max,
	    struct pkt_stats *st)
{
	unsigned int cur = 0;
	const char *reason;
	struct rte_mbuf *pkt, *seg;
	int ret;

	memset(st, 0, sizeof(*st));
	st->min_segs = UINT32_MAX;
	st->hash = FNV_OFFSET;
	while (hb_buf_len(&bufs[cur]) > 0) {
		if (st->nb_pkts == max)
			return -ENOSPC;
		if (hb_buf_len(&bufs[cur]) > mtu) {
			ret = hb_buf_split(&bufs[cur], mtu, &bufs[cur ^ 1]);
			if (ret < 0)
				return ret;
		}
		pkt = hb_buf_detach(&bufs[cur]);
		if (pkt == NULL)
			return -rte_errno;
		pkts[st->nb_pkts++] = pkt;
		cur ^= 1;

		reason = NULL;
		if (rte_mbuf_check(pkt, 1, &reason) != 0) {
			printf("packet %" PRIu32 ": rte_mbuf_check: %s\n",
			       st->nb_pkts - 1, reason);
			return -EINVAL;
		}
		if (pkt->pkt_len > mtu || pkt->pkt_len == 0) {
			printf("packet %" PRIu32 ": %" PRIu32 " bytes\n",
			       st->nb_pkts - 1, pkt->pkt_len);
			return -EINVAL;
		}
		st->min_segs = RTE_MIN(st->min_segs, (uint32_t)pkt->nb_segs);
		st->max_segs = RTE_MAX(st->max_segs, (uint32_t)pkt->nb_segs);
		for (seg = pkt; seg != NULL; seg = seg->next) {
			if (RTE_MBUF_CLONED(seg))
				st->nb_indirect++;
			st->hash = fnv1a(st->hash,
					 rte_pktmbuf_mtod(seg, const void *),
					 seg->data_len);
		}
	}
	return 0;
}

/* Steps 1 to 5 with pool @mp; 0 if everything checked out. */
static int
run_example(struct rte_mempool *mp, uint32_t max_pkts)
{
	struct hb_buf bufs[2] = { 0 };
	struct rte_mbuf **pkts;
	struct pkt_stats st = { 0 };
	uint32_t nb_copied = 0, msg_len = 0;
	uint64_t msg_hash = 0;
	uint16_t msg_segs = 0;
	unsigned int in_use;
	int ret;

	pkts = calloc(max_pkts, sizeof(*pkts));
	if (pkts == NULL) {
		printf("no memory for %" PRIu32 " packet pointers\n", max_pkts);
		return -1;
	}
	if (hb_buf_init(&bufs[0], mp) < 0 || hb_buf_init(&bufs[1], mp) < 0) {
		printf("hb_buf_init failed\n");
		ret = -1;
		goto out;
	}

	ret = build_message(&bufs[0]);
	if (ret < 0) {
		printf("building the message failed: %s\n", strerror(-ret));
		goto out;
	}
	msg_len = hb_buf_len(&bufs[0]);
	msg_segs = hb_buf_nb_segs(&bufs[0]);
	printf("message: %u B header + %" PRIu32 " B body (%" PRIu32
	       " appends of %" PRIu32 " B) = %" PRIu32 " B in %u segments,"
	       " %u mbufs in use\n",
	       HDR_SIZE, body_size, body_size / record_size, record_size,
	       msg_len, msg_segs, rte_mempool_in_use_count(mp));

	ret = parse_message(&bufs[0], &nb_copied);
	if (ret < 0)
		goto out;
	printf("cursor: header and %" PRIu32 " records parsed and checked;"
	       " %" PRIu32 " records crossed a segment boundary and were"
	       " copied to scratch, the others were read in place\n",
	       body_size / record_size, nb_copied);

	ret = hash_buffer(&bufs[0], &msg_hash);
	if (ret < 0) {
		printf("hb_buf_iov failed: %s\n", strerror(-ret));
		goto out;
	}
	ret = cut_packets(bufs, pkts, max_pkts, &st);
	if (ret < 0) {
		printf("cutting into packets failed: %s\n", strerror(-ret));
		goto out;
	}
	if (st.hash != msg_hash) {
		printf("split: the packets do not hold the message's bytes\n");
		ret = -1;
		goto out;
	}
	in_use = rte_mempool_in_use_count(mp);
	printf("split: %" PRIu32 " packets of <= %" PRIu32 " B, %" PRIu32
	       "..%" PRIu32 " segments each, %" PRIu32 " indirect segments"
	       " (no payload copied); all pass rte_mbuf_check, content ok;"
	       " %u mbufs in use\n",
	       st.nb_pkts, mtu, st.min_segs, st.max_segs, st.nb_indirect,
	       in_use);

out:
	/* Whatever is left, whatever happened: packets, then buffers. */
	if (st.nb_pkts > 0)
		rte_pktmbuf_free_bulk(pkts, st.nb_pkts);
	hb_buf_free(&bufs[0]);
	hb_buf_free(&bufs[1]);
	free(pkts);
	in_use = rte_mempool_in_use_count(mp);
	printf("pool: %u mbufs in use after freeing the packets\n", in_use);
	if (ret == 0 && in_use != 0) {
		printf("leak: %u mbufs not returned\n", in_use);
		ret = -1;
	}
	return ret < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;
	uint32_t nb_segs, max_pkts, nb_mbufs;
	uint16_t data_room = RTE_MBUF_DEFAULT_BUF_SIZE;
	int ret;

	/* Init EAL. */
	rte_set_application_usage_hook(usage);
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "Invalid EAL arguments\n");
	argc -= ret;
	argv += ret;

	/* Parse application arguments (after the EAL ones). */
	ret = parse_args(argc, argv);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}

	ret = hb_init();
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "hb_init: %s\n", strerror(-ret));

	/*
	 * Pool: the message's segments plus one indirect mbuf per packet
	 * (a cut inside a segment shares it), with room to spare. No
	 * per-lcore cache, so the in-use counts printed are exact.
	 */
	nb_segs = (body_size + HDR_SIZE) /
		  (data_room - RTE_PKTMBUF_HEADROOM) + 2;
	max_pkts = (body_size + HDR_SIZE + mtu - 1) / mtu;
	nb_mbufs = nb_segs + max_pkts + 64;
	mp = rte_pktmbuf_pool_create("hb_example_pool", nb_mbufs, 0, 0,
				     data_room, rte_socket_id());
	if (mp == NULL)
		rte_exit(EXIT_FAILURE, "Cannot create mbuf pool: %s\n",
			 rte_strerror(rte_errno));
	printf("pool: %" PRIu32 " mbufs, data room %u B (a head segment keeps"
	       " %u B of headroom), lcore %u\n",
	       nb_mbufs, data_room, RTE_PKTMBUF_HEADROOM, rte_lcore_id());

	ret = run_example(mp, max_pkts);

	hb_fini();
	rte_mempool_free(mp);
	rte_eal_cleanup();
	printf("hb-example: %s\n", ret == 0 ? "OK" : "FAILED");
	return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
