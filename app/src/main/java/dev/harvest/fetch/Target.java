package dev.harvest.fetch;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where one ID is fetched from, and for a download where its file goes.
 *
 * @param uri   the URL to request
 * @param shown the URL as the results file shows it (a {@code --url} template's query is redacted)
 * @param file  the download's final file in {@code --save-to}, or null when the body is not saved
 */
public record Target(URI uri, String shown, Path file) {
}
