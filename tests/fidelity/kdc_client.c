/* kdc_client: the two KDC requests the stock MIT tools cannot make, for tests/fidelity/run.
 *
 *   kdc_client proxy SERVICE_CCACHE USER_CCACHE EVIDENCE_PRINCIPAL TARGET_SPN
 *       The user (USER_CCACHE holds its TGT) gets a service ticket to EVIDENCE_PRINCIPAL, the
 *       front-end service's account; the service (SERVICE_CCACHE holds its TGT) then sends
 *       S4U2Proxy for TARGET_SPN with that ticket as evidence ("Kerberos only" constrained
 *       delegation: the user's own ticket, not an S4U2Self one). MIT adds PA-PAC-OPTIONS with
 *       the resource-based-delegation bit, as Windows clients do.
 *       EVIDENCE_PRINCIPAL must be the service ccache's own principal (svc@REALM, WEB1$@REALM):
 *       MIT's S4U2Proxy looks up the TGT of the evidence ticket's server name in the service's
 *       ccache, so a ticket to one of the account's SPNs (HTTP/x) would find no TGT. The KDC
 *       issues both with the same account's key and flags.
 *   kdc_client forward USER_CCACHE
 *       TGS-REQ for krbtgt/REALM with the user's TGT and the options a Windows client uses for
 *       unconstrained delegation (forwardable, forwarded, renewable, canonicalize,
 *       renewable-ok: 0x60810010), i.e. the forwarded TGT that travels in the AP-REQ.
 *
 * Prints one JSON object on stdout:
 *   {"step": "evidence"|"proxy"|"forward", "ok": bool, "code": krb5 error code or 0,
 *    "kdc_error": RFC 4120 error number when the KDC answered with a KRB-ERROR, else null,
 *    "message": text, "client", "server", "flags": [...], "etype", "session_etype",
 *    "authtime", "starttime", "endtime", "renew_till", "lifetime"}
 * Exit status: 0 ticket issued, 1 refused (the JSON says why), 2 usage or local failure.
 * Build: gcc -O2 -o kdc_client kdc_client.c $(krb5-config --cflags --libs krb5)
 */
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exported by libkrb5 (krb5_3_MIT) but declared only in MIT's private k5-int.h. */
krb5_error_code KRB5_CALLCONV krb5_get_cred_via_tkt(krb5_context, krb5_creds *, krb5_flags, krb5_address *const *,
                                                    krb5_creds *, krb5_creds **);
krb5_error_code KRB5_CALLCONV krb5_get_credentials_for_proxy(krb5_context, krb5_flags, krb5_ccache, krb5_creds *,
                                                             krb5_ticket *, krb5_creds **);

/* KRB5KDC_ERR_NONE is the base of the RFC 4120 error numbers in MIT's com_err table. */
#define KDC_ERR_BASE ((long)KRB5KDC_ERR_NONE)

static krb5_context ctx;

static void json_string(const char *s) {
  putchar('"');
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static const char *etype_name(krb5_enctype e) {
  switch (e) {
    case ENCTYPE_AES256_CTS_HMAC_SHA1_96: return "aes256";
    case ENCTYPE_AES128_CTS_HMAC_SHA1_96: return "aes128";
    case ENCTYPE_ARCFOUR_HMAC: return "rc4";
    case ENCTYPE_DES_CBC_CRC:
    case ENCTYPE_DES_CBC_MD5: return "des";
    default: return "other";
  }
}

static void print_error(const char *step, krb5_error_code code) {
  const char *msg = krb5_get_error_message(ctx, code);
  long n = (long)code - KDC_ERR_BASE;
  printf("{\"step\": \"%s\", \"ok\": false, \"code\": %ld, \"kdc_error\": ", step, (long)code);
  if (n >= 0 && n <= 127)
    printf("%ld", n);
  else
    printf("null");
  printf(", \"message\": ");
  json_string(msg);
  printf("}\n");
  krb5_free_error_message(ctx, msg);
}

static void print_creds(const char *step, krb5_creds *c) {
  static const struct {
    krb5_flags bit;
    const char *name;
  } flags[] = {
      {TKT_FLG_FORWARDABLE, "forwardable"}, {TKT_FLG_FORWARDED, "forwarded"},
      {TKT_FLG_PROXIABLE, "proxiable"},     {TKT_FLG_PROXY, "proxy"},
      {TKT_FLG_RENEWABLE, "renewable"},     {TKT_FLG_INITIAL, "initial"},
      {TKT_FLG_PRE_AUTH, "pre_authent"},    {TKT_FLG_HW_AUTH, "hw_authent"},
      {TKT_FLG_OK_AS_DELEGATE, "ok_as_delegate"}, {TKT_FLG_TRANSIT_POLICY_CHECKED, "transited_policy_checked"},
      {TKT_FLG_ANONYMOUS, "anonymous"},     {TKT_FLG_ENC_PA_REP, "enc_pa_rep"},
  };
  char *client = NULL, *server = NULL;
  krb5_ticket *t = NULL;
  krb5_enctype tkt_etype = 0;
  int first = 1;
  krb5_unparse_name(ctx, c->client, &client);
  krb5_unparse_name(ctx, c->server, &server);
  if (krb5_decode_ticket(&c->ticket, &t) == 0) tkt_etype = t->enc_part.enctype;
  printf("{\"step\": \"%s\", \"ok\": true, \"code\": 0, \"kdc_error\": null, \"message\": \"\", \"client\": ", step);
  json_string(client);
  printf(", \"server\": ");
  json_string(server);
  printf(", \"flags\": [");
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
    if (c->ticket_flags & flags[i].bit) {
      printf("%s\"%s\"", first ? "" : ", ", flags[i].name);
      first = 0;
    }
  printf("], \"etype\": \"%s\", \"session_etype\": \"%s\"", etype_name(tkt_etype), etype_name(c->keyblock.enctype));
  printf(", \"authtime\": %ld, \"starttime\": %ld, \"endtime\": %ld, \"renew_till\": %ld, \"lifetime\": %ld}\n",
         (long)c->times.authtime, (long)(c->times.starttime ? c->times.starttime : c->times.authtime),
         (long)c->times.endtime, (long)c->times.renew_till,
         (long)c->times.endtime - (long)(c->times.starttime ? c->times.starttime : c->times.authtime));
  krb5_free_unparsed_name(ctx, client);
  krb5_free_unparsed_name(ctx, server);
  if (t) krb5_free_ticket(ctx, t);
}

static int die(const char *what, krb5_error_code code) {
  const char *msg = krb5_get_error_message(ctx, code);
  fprintf(stderr, "kdc_client: %s: %s\n", what, msg);
  krb5_free_error_message(ctx, msg);
  return 2;
}

static int do_proxy(const char *svc_cc_name, const char *user_cc_name, const char *evidence_name,
                    const char *target_spn) {
  krb5_ccache svc_cc, user_cc;
  krb5_principal user, evidence_server, target;
  krb5_creds in, *evidence = NULL, *out = NULL;
  krb5_ticket *evidence_tkt = NULL;
  krb5_error_code code;

  if ((code = krb5_cc_resolve(ctx, svc_cc_name, &svc_cc))) return die("service ccache", code);
  if ((code = krb5_cc_resolve(ctx, user_cc_name, &user_cc))) return die("user ccache", code);
  if ((code = krb5_cc_get_principal(ctx, user_cc, &user))) return die("user principal", code);
  if ((code = krb5_parse_name(ctx, evidence_name, &evidence_server))) return die("evidence principal", code);
  if ((code = krb5_parse_name(ctx, target_spn, &target))) return die("target SPN", code);

  /* 1. The user's own service ticket to the front end: the evidence. */
  memset(&in, 0, sizeof in);
  in.client = user;
  in.server = evidence_server;
  code = krb5_get_credentials(ctx, KRB5_GC_NO_STORE, user_cc, &in, &evidence);
  if (code) {
    print_error("evidence", code);
    return 1;
  }
  if ((code = krb5_decode_ticket(&evidence->ticket, &evidence_tkt))) return die("decoding the evidence", code);

  /* 2. S4U2Proxy with the service's TGT. No client-side forwardable check is made (MIT >= 1.18),
   * so the KDC decides on a non-forwardable evidence ticket too. */
  memset(&in, 0, sizeof in);
  in.client = evidence->client;
  in.server = target;
  code = krb5_get_credentials_for_proxy(ctx, KRB5_GC_NO_STORE, svc_cc, &in, evidence_tkt, &out);
  if (code) {
    print_error("proxy", code);
    return 1;
  }
  print_creds("proxy", out);
  krb5_free_creds(ctx, out);
  krb5_free_creds(ctx, evidence);
  krb5_free_ticket(ctx, evidence_tkt);
  return 0;
}

static int do_forward(const char *user_cc_name) {
  krb5_ccache cc;
  krb5_principal me, tgs;
  krb5_creds match, tgt, in, *out = NULL;
  krb5_error_code code;
  const krb5_data *realm;

  if ((code = krb5_cc_resolve(ctx, user_cc_name, &cc))) return die("user ccache", code);
  if ((code = krb5_cc_get_principal(ctx, cc, &me))) return die("user principal", code);
  realm = krb5_princ_realm(ctx, me);
  if ((code = krb5_build_principal_ext(ctx, &tgs, realm->length, realm->data, KRB5_TGS_NAME_SIZE, KRB5_TGS_NAME,
                                       realm->length, realm->data, 0)))
    return die("krbtgt principal", code);
  memset(&match, 0, sizeof match);
  match.client = me;
  match.server = tgs;
  if ((code = krb5_cc_retrieve_cred(ctx, cc, 0, &match, &tgt))) return die("the user's TGT", code);

  memset(&in, 0, sizeof in);
  in.client = me;
  in.server = tgs;
  /* till = as far as the TGT may be renewed, as Windows asks for a far-off till; the KDC caps it
   * at the TGT's end. (MIT rejects a reply whose renew-till passes the till asked for when
   * renewable-ok is set, so till must not be the TGT's end time.) */
  in.times.endtime = tgt.times.renew_till > tgt.times.endtime ? tgt.times.renew_till : tgt.times.endtime;
  in.times.renew_till = tgt.times.renew_till;
  code = krb5_get_cred_via_tkt(ctx, &tgt,
                               KDC_OPT_FORWARDABLE | KDC_OPT_FORWARDED | KDC_OPT_RENEWABLE | KDC_OPT_CANONICALIZE |
                                   KDC_OPT_RENEWABLE_OK,
                               tgt.addresses, &in, &out);
  if (code) {
    print_error("forward", code);
    return 1;
  }
  print_creds("forward", out);
  krb5_free_creds(ctx, out);
  krb5_free_cred_contents(ctx, &tgt);
  return 0;
}

int main(int argc, char **argv) {
  krb5_error_code code = krb5_init_context(&ctx);
  if (code) {
    fprintf(stderr, "kdc_client: krb5_init_context failed (%d)\n", (int)code);
    return 2;
  }
  if (argc == 6 && strcmp(argv[1], "proxy") == 0) return do_proxy(argv[2], argv[3], argv[4], argv[5]);
  if (argc == 3 && strcmp(argv[1], "forward") == 0) return do_forward(argv[2]);
  fprintf(stderr,
          "usage: kdc_client proxy SERVICE_CCACHE USER_CCACHE EVIDENCE_PRINCIPAL TARGET_SPN\n"
          "       kdc_client forward USER_CCACHE\n");
  return 2;
}
