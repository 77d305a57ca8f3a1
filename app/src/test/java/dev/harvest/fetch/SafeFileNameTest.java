package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile names from IDs and URLs always become one safe file name inside the download directory. */
class SafeFileNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "..", ".", "...", "/etc/passwd", "\\\\server\\share\\x", "C:\\Windows\\x.dll",
            "a/../../b", ".hidden", "-rf", "CON", "con.txt", "NUL.pdf", "Com1", "lpt9.tar.gz", "CONIN$", "a\u0000b", "a\nb",
            "evil\u202Etxt.exe", "trailing. . .", "  spaced  ", "x<>:\"|?*y", "%2e%2e%2fetc", "\u00e9t\u00e9.pdf"})
    void everyNameIsOnePlainSegment(String hostile) {
        String name = SafeFileName.of(hostile);
        Path dir = Path.of("/downloads");
        Path file = dir.resolve(name).normalize();
        assertEquals(dir, file.getParent(), hostile + " -> " + name);
        assertFalse(name.isEmpty());
        assertFalse(name.startsWith(".") || name.startsWith("-"), name);
        assertFalse(name.endsWith(".") || name.endsWith(" "), name);
        assertTrue(name.chars().noneMatch(c -> c < 0x20 || c == '/' || c == '\\' || c == 0x202E), name);
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        assertFalse(List.of("con", "nul", "com1", "lpt9", "conin$").contains(stem.toLowerCase()), name);
    }

    @Test
    void examples() {
        assertEquals("_.._etc_passwd", SafeFileName.of("../../etc/passwd"));
        assertEquals("file", SafeFileName.of(".."));
        assertEquals("_CON", SafeFileName.of("CON"));
        assertEquals("_con.txt", SafeFileName.of("con.txt"));
        assertEquals("report.pdf", SafeFileName.of("report.pdf"));
        assertEquals("evil_txt.exe", SafeFileName.of("evil\u202Etxt.exe"));
        assertEquals("rf", SafeFileName.of("-rf"));
    }

    @Test
    void longNamesAreCutKeepingTheExtension() {
        String name = SafeFileName.of("\u00e9".repeat(300) + ".pdf");
        assertTrue(name.endsWith(".pdf"), name);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= SafeFileName.MAX_BYTES, name);
    }

    @Test
    void collisionsGetNumberedSuffixesInInputOrder() {
        FileNamer namer = new FileNamer(Path.of("dl"));
        assertEquals(Path.of("dl", "report.pdf"), namer.assign("report.pdf"));
        assertEquals(Path.of("dl", "report~2.pdf"), namer.assign("report.pdf"));
        assertEquals(Path.of("dl", "REPORT~3.pdf"), namer.assign("REPORT.pdf")); // case-insensitive clash, case kept
        assertEquals(Path.of("dl", "report~2~2.pdf"), namer.assign("report~2.pdf"));
        assertEquals(Path.of("dl", "x"), namer.assign("x"));
        assertEquals(Path.of("dl", "x~2"), namer.assign("x"));
    }

    @Test
    void fileNameTemplates() throws Exception {
        URI uri = URI.create("https://example.com/files/annual%20report%C3%A9.pdf?download=1");
        assertEquals("annual report\u00e9.pdf", FileNameTemplate.urlName().expand("C1", uri));
        assertEquals("C1.pdf", FileNameTemplate.parse("{id}.pdf").expand("C1", uri));
        assertEquals("C1-annual report\u00e9.pdf", FileNameTemplate.parse("{id}-{name}").expand("C1", uri));
        assertEquals("C1", FileNameTemplate.urlName().expand("C1", URI.create("https://example.com/dir/")));
        // An encoded slash decodes to a path; the sanitiser flattens it.
        assertEquals("../x", FileNameTemplate.urlName().expand("C1", URI.create("https://example.com/..%2Fx")));
        assertEquals("_x", SafeFileName.of(FileNameTemplate.urlName().expand("C1", URI.create("https://example.com/..%2Fx"))));
        assertThrows(IllegalArgumentException.class, () -> FileNameTemplate.parse("dir/{id}.pdf"));
        assertThrows(IllegalArgumentException.class, () -> FileNameTemplate.parse("{ID}.pdf"));
        assertThrows(IllegalArgumentException.class, () -> FileNameTemplate.parse("same.pdf"));
    }
}
