package dev.idpgateway.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolSettingsTest {
    @Test
    void absentFieldsMeanCaseSensitiveWithoutAliases() {
        PoolSettings pool = PoolSettings.fromHash(Map.of("created_at", "1"));
        assertTrue(pool.caseSensitive());
        assertEquals(List.of(), pool.lookupAttributes());
        assertEquals("Alice", pool.userKey("Alice"));
    }

    @Test
    void aliasAndUsernameAttributesAreTriedInContractOrder() {
        PoolSettings pool = PoolSettings.fromHash(Map.of(
                "alias_attributes", "preferred_username, email", "username_attributes", "phone_number,bogus"));
        assertEquals(List.of("email", "phone_number", "preferred_username"), pool.lookupAttributes());
    }

    @Test
    void caseSensitivePoolsKeyTheNfcFormButKeepCase() {
        PoolSettings pool = PoolSettings.fromHash(Map.of("alias_attributes", "email"));
        assertEquals("Émile", pool.userKey("E\u0301mile"));
        assertEquals("Émile@example.com", pool.aliasValue("email", "E\u0301mile@example.com"));
        assertEquals("ＫＡＴＥ", pool.userKey("ＫＡＴＥ"));
    }

    @Test
    void caseInsensitivePoolsFoldUsernamesAndCaseInsensitiveAliases() {
        PoolSettings pool = PoolSettings.fromHash(Map.of("case_sensitive", "false"));
        assertEquals("strasse", pool.userKey("STRAẞE"));
        assertEquals("kate@example.com", pool.aliasValue("email", "ＫＡＴＥ@Example.com"));
        assertEquals("émile", pool.aliasValue("preferred_username", "E\u0301MILE"));
    }

    @Test
    void caseInsensitivePoolsLowerCaseUsernamesEmailsAndPreferredUsernamesButNotPhones() {
        PoolSettings pool = PoolSettings.fromHash(Map.of("case_sensitive", "false"));
        assertEquals("ärger", pool.userKey("ÄRGER"));
        assertEquals("alice@example.com", pool.aliasValue("email", "Alice@Example.COM"));
        assertEquals("al", pool.aliasValue("preferred_username", "AL"));
        assertEquals("+1555", pool.aliasValue("phone_number", "+1555"));
        assertFalse(pool.ignoresCase("phone_number"));
        assertTrue(pool.ignoresCase("email"));
    }
}
