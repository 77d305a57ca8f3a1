package dev.harvest.store;

/**
 * A journal's first line: which job it belongs to, what its input was and where its files are.
 *
 * @param fingerprint the job's resume key ({@link JobIdentity#resume()})
 * @param files       the run's files
 * @param input       the input's identity, checked by a resume
 */
public record JournalHeader(String fingerprint, RunFiles files, InputIdentity input) {
}
