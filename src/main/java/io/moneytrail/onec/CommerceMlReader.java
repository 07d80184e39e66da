package io.moneytrail.onec;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the orders 1C sends back (a {@code КоммерческаяИнформация} of {@code Документ}s) with the
 * JDK's StAX reader, refusing anything hostile or malformed before a single change is applied:
 * a DTD (and with it every entity: XXE, billion laughs), an encoding other than UTF-8 or
 * windows-1251, bytes that do not match the declared encoding (including a file that says
 * windows-1251 but is UTF-8), nesting, size and count past their bounds, a root that is not
 * {@code КоммерческаяИнформация}. Element names are matched by local name, with or without
 * CommerceML's namespace ({@code urn:1C.ru:commerceml_210}); documents may sit in
 * {@code Контейнер}s (CommerceML 3).
 */
final class CommerceMlReader {

    static final int DEPTH_MAX = 32;
    static final int DOCUMENTS_MAX = 10_000;
    static final int ELEMENTS_MAX = 1_000_000;
    static final int TEXT_CHARS_MAX = 4_000;
    static final int REQUISITES_MAX = 200;

    /** One {@code Документ} as far as the exchange reads it. */
    record Incoming(int position, String id, String number, String operation, boolean deletionMark,
                    Map<String, String> requisites) {
    }

    private static final XMLInputFactory FACTORY = factory();

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory;
    }

    private CommerceMlReader() {
    }

    static List<Incoming> read(byte[] file) {
        if (file.length == 0) {
            throw new OnecFailure("the file is empty");
        }
        XMLStreamReader xml = null;
        try {
            xml = FACTORY.createXMLStreamReader(new ByteArrayInputStream(file));
            checkEncoding(xml.getCharacterEncodingScheme(), file);
            return documents(xml);
        } catch (XMLStreamException e) {
            throw new OnecFailure("the file is not well-formed XML: " + oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            if (e instanceof OnecFailure) {
                throw e;
            }
            // the JDK's reader reports some malformed input (bytes the charset cannot decode) unchecked
            throw new OnecFailure("the file cannot be read as XML: " + oneLine(String.valueOf(e.getMessage())), e);
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing held but memory
                }
            }
        }
    }

    private static void checkEncoding(String declared, byte[] file) {
        if (declared == null) {
            return; // no declaration: UTF-8 (or UTF-16 by its byte order mark), as XML says
        }
        String name = declared.toLowerCase(Locale.ROOT);
        if (name.equals("windows-1251") || name.equals("cp1251")) {
            if (hasNonAscii(file) && isUtf8(file)) {
                throw new OnecFailure("the file declares encoding windows-1251 but its bytes are UTF-8: declare"
                        + " encoding=\"UTF-8\" or send it in windows-1251");
            }
            return;
        }
        if (!name.equals("utf-8") && !name.equals("utf8")) {
            throw new OnecFailure("the file declares encoding " + declared + "; the exchange reads UTF-8 and windows-1251");
        }
    }

    private static boolean hasNonAscii(byte[] file) {
        for (byte b : file) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8(byte[] file) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static List<Incoming> documents(XMLStreamReader xml) throws XMLStreamException {
        List<Incoming> documents = new ArrayList<>();
        List<String> path = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int elements = 0;
        // the document being read
        String id = null;
        String number = null;
        String operation = null;
        boolean deletion = false;
        Map<String, String> requisites = null;
        String requisiteName = null;
        String requisiteValue = null;
        int documentDepth = -1;
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new OnecFailure(
                        "the file has a DTD (<!DOCTYPE …>); CommerceML needs none, and the exchange refuses entities");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new OnecFailure(
                        "the file refers to an entity (&" + xml.getLocalName() + ";); the exchange refuses entities");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (++elements > ELEMENTS_MAX) {
                        throw new OnecFailure("the file has more than " + ELEMENTS_MAX + " elements");
                    }
                    String name = xml.getLocalName();
                    path.add(name);
                    text.setLength(0);
                    if (path.size() > DEPTH_MAX) {
                        throw new OnecFailure("the file nests elements deeper than " + DEPTH_MAX);
                    }
                    if (path.size() == 1 && !name.equals(CommerceMlWriter.ROOT)) {
                        throw new OnecFailure("the root element is <" + name + ">, not <" + CommerceMlWriter.ROOT + ">");
                    }
                    boolean documentHere = name.equals("Документ") && (path.size() == 2
                            || (path.size() == 3 && path.get(1).equals("Контейнер")));
                    if (documentHere) {
                        if (documents.size() >= DOCUMENTS_MAX) {
                            throw new OnecFailure("the file has more than " + DOCUMENTS_MAX + " documents");
                        }
                        documentDepth = path.size();
                        id = null;
                        number = null;
                        operation = null;
                        deletion = false;
                        requisites = new LinkedHashMap<>();
                    }
                    if (documentDepth > 0 && isDocumentRequisite(path, documentDepth)) {
                        requisiteName = null;
                        requisiteValue = null;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text.length() + xml.getTextLength() > TEXT_CHARS_MAX) {
                        throw new OnecFailure("a text in the file is longer than " + TEXT_CHARS_MAX + " characters (in <"
                                + (path.isEmpty() ? "?" : path.get(path.size() - 1)) + ">)");
                    }
                    text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    String name = path.get(path.size() - 1);
                    String value = text.toString().strip();
                    if (documentDepth > 0 && path.size() == documentDepth + 1) {
                        switch (name) {
                            case "Ид" -> id = value;
                            case "Номер" -> number = value;
                            case "ХозОперация" -> operation = value;
                            case "ПометкаУдаления" -> deletion = value.equalsIgnoreCase("true");
                            default -> { }
                        }
                    } else if (documentDepth > 0 && path.size() == documentDepth + 3
                            && path.get(documentDepth).equals("ЗначенияРеквизитов")
                            && path.get(documentDepth + 1).equals("ЗначениеРеквизита")) {
                        if (name.equals("Наименование")) {
                            requisiteName = value;
                        } else if (name.equals("Значение")) {
                            requisiteValue = value;
                        }
                    } else if (documentDepth > 0 && isDocumentRequisite(path, documentDepth)) {
                        if (requisiteName != null && !requisiteName.isEmpty()) {
                            if (requisites.size() >= REQUISITES_MAX) {
                                throw new OnecFailure("a document has more than " + REQUISITES_MAX + " requisites");
                            }
                            requisites.put(requisiteName, requisiteValue == null ? "" : requisiteValue);
                        }
                    } else if (path.size() == documentDepth) {
                        documents.add(new Incoming(documents.size() + 1, emptyToNull(id), emptyToNull(number),
                                emptyToNull(operation), deletion, Map.copyOf(requisites)));
                        documentDepth = -1;
                    }
                    path.remove(path.size() - 1);
                    text.setLength(0);
                }
                default -> { }
            }
        }
        return documents;
    }

    private static boolean isDocumentRequisite(List<String> path, int documentDepth) {
        return path.size() == documentDepth + 2 && path.get(documentDepth).equals("ЗначенияРеквизитов")
                && path.get(documentDepth + 1).equals("ЗначениеРеквизита");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String oneLine(String message) {
        String line = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
