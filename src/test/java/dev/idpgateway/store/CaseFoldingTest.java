package dev.idpgateway.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CaseFoldingTest {
    @Test
    void theKelvinSignAndFullwidthLettersAreThePlainLetters() {
        assertEquals("kate", CaseFolding.fold("\u212Aate"));
        assertEquals("kate", CaseFolding.fold("ＫＡＴＥ"));
        assertEquals("kate", CaseFolding.fold("Kate"));
        assertEquals("fi", CaseFolding.fold("\uFB01"));
    }

    @Test
    void sharpSIsSsInEveryCase() {
        assertEquals("strasse", CaseFolding.fold("straße"));
        assertEquals("strasse", CaseFolding.fold("STRASSE"));
        assertEquals("strasse", CaseFolding.fold("STRAẞE"));
    }

    @Test
    void dotlessIIsIButDottedCapitalIKeepsItsDot() {
        assertEquals("ilgaz", CaseFolding.fold("ılgaz"));
        assertEquals("ilgaz", CaseFolding.fold("ILGAZ"));
        // Unicode's own case folding: İ is i with a combining dot above, not i.
        assertEquals("i\u0307stanbul", CaseFolding.fold("İstanbul"));
        assertNotEquals(CaseFolding.fold("istanbul"), CaseFolding.fold("İstanbul"));
    }

    @Test
    void decomposedAccentsAreTheComposedCharacter() {
        assertEquals("émile", CaseFolding.fold("e\u0301mile"));
        assertEquals("émile", CaseFolding.fold("E\u0301MILE"));
        assertEquals("émile", CaseFolding.canonical("e\u0301mile"));
    }

    @Test
    void canonicalKeepsCaseAndCompatibilityCharacters() {
        assertEquals("Kate", CaseFolding.canonical("Kate"));
        assertEquals("ＫＡＴＥ", CaseFolding.canonical("ＫＡＴＥ"));
        // The Kelvin sign is canonically the letter K.
        assertEquals("Kate", CaseFolding.canonical("\u212Aate"));
    }

    @Test
    void greekSigmaFoldsByPositionTheSameWayWhateverTheInputCase() {
        assertEquals(CaseFolding.fold("ΟΔΟΣ"), CaseFolding.fold("οδοσ"));
        assertEquals(CaseFolding.fold("ΟΔΟΣ"), CaseFolding.fold("οδος"));
    }

    @Test
    void foldingAFoldedNameChangesNothing() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            if (Character.getType(codePoint) == Character.SURROGATE) {
                continue;
            }
            String folded = CaseFolding.fold(Character.toString(codePoint) + "a");
            assertEquals(folded, CaseFolding.fold(folded), () -> "U+" + Integer.toHexString(folded.codePointAt(0)));
        }
    }
}
