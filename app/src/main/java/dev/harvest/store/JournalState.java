package dev.harvest.store;

import dev.harvest.report.RunCounts;
import java.util.BitSet;

/**
 * What a journal says about an interrupted run ({@link JournalReader#load}).
 *
 * @param header             whose run it is
 * @param resultsLength      the results file's length at the last usable checkpoint
 * @param failedLength       the failed file's length at the last usable checkpoint
 * @param done               the input lines completed up to it
 * @param counts             the outcome counts at it
 * @param validJournalLength where the usable part of the journal ends (a resume cuts off the rest)
 * @param checkpoints        checkpoint lines in the usable part
 * @param completing         the run had finished and was renaming its files when it stopped
 */
public record JournalState(JournalHeader header, long resultsLength, long failedLength, BitSet done,
                           RunCounts counts, long validJournalLength, int checkpoints, boolean completing) {
}
