import type { CertificateInfo, PinnedCertificateSummary } from '../../../app/shared/model.ts';
import { formatDate } from '../format.ts';

/** A certificate's identity as the person compares it with what the server's admin sees. */
export function CertificateDetails(props: {
  certificate: PinnedCertificateSummary | CertificateInfo;
  heading: string;
  className?: string;
}) {
  const { certificate } = props;
  const probed = 'selfSigned' in certificate ? certificate : null;
  return (
    <section className={`card details ${props.className ?? ''}`} aria-label={props.heading}>
      <h3>{props.heading}</h3>
      <dl>
        <dt>SHA-256 fingerprint</dt>
        <dd className="fingerprint" data-testid="fingerprint">
          {certificate.fingerprint256}
        </dd>
        <dt>Subject</dt>
        <dd>{certificate.subject}</dd>
        <dt>Issuer</dt>
        <dd>{certificate.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {formatDate(certificate.validFrom)} to {formatDate(certificate.validTo)}
        </dd>
        {probed && probed.subjectAltNames.length > 0 ? (
          <>
            <dt>Names</dt>
            <dd>{probed.subjectAltNames.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {probed ? (
        <p className="small muted">
          {probed.publiclyTrusted
            ? 'Issued by a publicly trusted authority: it is checked the usual way, no pin needed.'
            : probed.selfSigned
              ? 'Self-signed, as AFT! installs by default. Compare the fingerprint with the one on the server (AFT! web UI or the certificate file) before you trust it.'
              : 'Issued by an authority this computer does not trust. Compare the fingerprint with the one on the server before you trust it.'}
        </p>
      ) : null}
    </section>
  );
}
