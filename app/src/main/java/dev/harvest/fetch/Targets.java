package dev.harvest.fetch;

import java.net.URI;

/**
 * Turns an input ID (and its row's URL, with {@code --url-column}) into a {@link Target}: the URL
 * from the template or the checked row URL, and for downloads the file name. Called by the
 * pipeline's owner thread for every ID line in input order, including lines a resumed run skips,
 * so file names (and their collision suffixes) come out the same in every run of one input.
 */
public final class Targets {
    private final UrlTemplate template;
    private final FileNameTemplate fileName;
    private final FileNamer namer;

    /** @param request the job's URL template and shape */
    public Targets(RequestSettings request) {
        this.template = request.url();
        JobMode mode = request.mode();
        this.fileName = mode.kind() == JobMode.Kind.DOWNLOAD ? mode.fileName() : null;
        this.namer = fileName == null ? null : new FileNamer(mode.saveTo());
    }

    /** What resolving one ID gave: a target, or why its URL cannot be requested. */
    public sealed interface Resolved permits Ok, Invalid {
    }

    /** @param target where to fetch the ID */
    public record Ok(Target target) implements Resolved {
    }

    /** @param message why the row's URL is refused ({@code invalid_url}) */
    public record Invalid(String message) implements Resolved {
    }

    /**
     * Resolves one ID.
     *
     * @param id     the ID
     * @param rowUrl the row's URL with {@code --url-column}, else null
     */
    public Resolved resolve(String id, String rowUrl) {
        URI uri;
        String shown;
        if (template != null) {
            uri = template.expand(id);
            shown = redactQuery(uri.toString());
        } else {
            try {
                uri = RowUrl.parse(rowUrl);
            } catch (RowUrl.InvalidUrlException e) {
                return new Invalid(e.getMessage());
            }
            shown = uri.toString();
        }
        return new Ok(new Target(uri, shown, namer == null ? null : namer.assign(fileName.expand(id, uri))));
    }

    private static String redactQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?<redacted>";
    }
}
