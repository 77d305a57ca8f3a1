package dev.harvest.fetch;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra certificate authorities from {@code --ca-file} (an internal CA), trusted in addition to the
 * JDK's default trust store, never instead of it. Verification itself is unchanged: the chain must
 * still lead to a trusted anchor, and the client still checks the host name.
 *
 * @param certificates the certificates read from the PEM file, at least one
 */
public record TrustedCertificates(List<X509Certificate> certificates) {
    private static final Pattern BLOCK = Pattern.compile(
            "(?s)-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----");
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";

    public TrustedCertificates {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    /**
     * The certificates in PEM text (one or more {@code BEGIN CERTIFICATE} blocks; other text, such
     * as the subject lines {@code openssl} writes between them, is ignored).
     *
     * @throws IllegalArgumentException with a one-line reason when there is no certificate block or
     *                                  a block is not a valid X.509 certificate
     */
    public static TrustedCertificates parse(String pem) {
        if (pem.contains("PRIVATE KEY-----")) {
            // Refused rather than ignored: a key in a file handed around as a CA bundle is a leak.
            throw new IllegalArgumentException("holds a private key; give only the CA certificates");
        }
        Matcher m = BLOCK.matcher(pem);
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der;
                try {
                    der = Base64.getMimeDecoder().decode(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("certificate " + (certs.size() + 1) + " is not valid base64");
                }
                try {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("certificate " + (certs.size() + 1)
                            + " is not a valid X.509 certificate");
                }
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
        int begins = pem.split(BEGIN, -1).length - 1;
        if (begins > certs.size()) {
            throw new IllegalArgumentException("certificate " + (certs.size() + 1) + " has no END CERTIFICATE line");
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return new TrustedCertificates(certs);
    }

    /**
     * A TLS context that trusts the JDK's default anchors plus these certificates: both sets go
     * into one key store behind the standard PKIX trust manager, so path building, revocation
     * settings and the client's host-name check stay the JDK's own.
     */
    public SSLContext sslContext() {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate c : defaultAnchors()) {
                anchors.setCertificateEntry("default-" + n++, c);
            }
            for (X509Certificate c : certificates) {
                anchors.setCertificateEntry("ca-file-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context for --ca-file: " + e.getMessage(), e);
        }
    }

    /** The anchors the JDK trusts by default ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    private static X509Certificate[] defaultAnchors() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    @Override
    public String toString() {
        return certificates.size() + (certificates.size() == 1 ? " certificate" : " certificates");
    }
}
