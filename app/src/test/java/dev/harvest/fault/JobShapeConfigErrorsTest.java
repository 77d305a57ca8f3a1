package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Job-shape settings that cannot work: one line, exit 2, no file created (in --out or --save-to), no request. */
class JobShapeConfigErrorsTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Path out;
    Path dl;
    Path rows;

    @BeforeEach
    void setUp() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        dl = Files.createDirectory(dir.resolve("dl"));
        rows = Files.writeString(dir.resolve("rows.csv"), "id,url\nA," + server.baseUrl() + "/a.pdf\n");
    }

    private List<String> perRow(String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", rows.toString(), "--url-column", "url", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private void assertRefused(String expectedStart, List<String> args) {
        Harvest.Result r = Harvest.run(args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
        assertTrue(r.stderr().startsWith("harvest: error: " + expectedStart), r.stderr());
        assertEquals(List.of(), Harvest.names(out), "no file created in --out");
        assertEquals(List.of(), Harvest.names(dl), "no file created in --save-to");
        assertEquals(0, server.getAllServeEvents().size(), "no request sent");
    }

    @Test
    void urlTemplateAndUrlColumnBothOrNeither() {
        assertRefused("give --url (a template with {id}) or --url-column (a URL in each input row), not both",
                perRow("--url", server.baseUrl() + "/{id}"));
        assertRefused("--url TEMPLATE is required", List.of("--input", rows.toString(), "--out", out.toString()));
    }

    @Test
    void urlColumnMustExistAndNeedsCsvForNames() throws Exception {
        assertRefused("--url-column link: no such column in the input header (id,url)",
                List.of("--input", rows.toString(), "--url-column", "link", "--out", out.toString()));
        Path txt = Files.writeString(dir.resolve("ids.txt"), "id\nA\n");
        assertRefused("--url-column url needs CSV input", List.of("--input", txt.toString(), "--url-column", "url", "--out", out.toString()));
        assertRefused("--url-column: column numbers start at 1", perRow("--url-column", "0"));
    }

    @Test
    void saveToMustBeAWritableDirectory() throws Exception {
        assertRefused("--save-to " + dir.resolve("missing") + ": no such directory", perRow("--save-to", dir.resolve("missing").toString()));
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertRefused("--save-to " + file + ": no such directory", perRow("--save-to", file.toString()));
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assertTrue(ro.toFile().setWritable(false));
        try {
            if (!Files.isWritable(ro)) { // root can write anyway
                assertRefused("--save-to " + ro + ": not writable", perRow("--save-to", ro.toString()));
            }
        } finally {
            ro.toFile().setWritable(true);
        }
    }

    @Test
    void shapesThatDoNotMix() {
        assertRefused("--parse rss and --save-to are two jobs", perRow("--parse", "rss", "--save-to", dl.toString()));
        assertRefused("--file-name names downloaded files; it needs --save-to DIR", perRow("--file-name", "{id}.pdf"));
        assertRefused("--file-name must be a file name, not a path: '../{id}.pdf'",
                perRow("--save-to", dl.toString(), "--file-name", "../{id}.pdf"));
        assertRefused("--file-name: unknown placeholder {url}", perRow("--save-to", dl.toString(), "--file-name", "{url}"));
        assertRefused("--file-name must contain {id} or {name}", perRow("--save-to", dl.toString(), "--file-name", "same.pdf"));
        assertRefused("--records and --fields shape JSON bodies; --save-to writes fixed columns",
                perRow("--save-to", dl.toString(), "--records", "/items"));
        assertRefused("--records and --fields shape JSON bodies; --parse rss writes fixed columns",
                perRow("--parse", "rss", "--fields", "id={id}"));
        assertRefused("--parse: expected json or rss, got 'xml'", perRow("--parse", "xml"));
        assertRefused("--conditional is for downloads (--save-to) and feeds (--parse rss)", perRow("--conditional", "true"));
        assertRefused("--conditional: expected auto, true or false, got 'maybe'", perRow("--parse", "rss", "--conditional", "maybe"));
    }
}
